/**
 * Starts a job on the target with one exec that returns at once: the launcher writes the "started" record,
 * detaches the runner and the watchdog, and prints the jid. The result is the launch dict Ansible registers for
 * `poll: 0` (2.14: `failed: 0`, ints; 2.19: booleans).
 */
import type { Connection } from '../connection/types';
import { shellQuote } from '../connection/quote';
import type { TaskResult } from '../events/types';
import { jidPrefix } from './jid';
import { launcherScript, shCommand } from './remote-scripts';
import { flag, usesBooleanFlags } from './shapes';
import { contentSignature } from './status';
import { watchdogLimitSeconds } from './watchdog';

export interface LaunchRequest {
  connection: Connection;
  script: string;
  asyncSeconds: number;
  asyncDir: string;
  environment?: Record<string, string>;
  coreVersion: string;
  signal?: AbortSignal;
  /** behave as if the target had no `setsid` (tests of the fallback) */
  withoutSetsid?: boolean;
}

export interface LaunchOutcome {
  ok: boolean;
  jid?: string;
  resultsFile?: string;
  /** signature of the "started" record, the baseline for instant joins */
  signature?: string;
  /** the registered launch dict, or the failure result when ok is false */
  result: TaskResult;
}

/** `export NAME='value'` lines: the job sees the task's environment like any module would. */
export function environmentPrelude(environment: Record<string, string> | undefined): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(environment ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue; // not a variable sh can export; Ansible would fail in env(1) too
    lines.push(`export ${name}=${shellQuote(String(value))}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

export async function launchJob(request: LaunchRequest): Promise<LaunchOutcome> {
  const v = request.coreVersion;
  const failedFlag = usesBooleanFlags(v) ? 'true' : '1';
  const command = shCommand(launcherScript(), [
    jidPrefix(),
    request.asyncDir,
    watchdogLimitSeconds(request.asyncSeconds),
    String(flag(v, true)),
    String(flag(v, false)),
    failedFlag,
    request.withoutSetsid ? '1' : '0',
  ]);
  const stdin = environmentPrelude(request.environment) + request.script;
  const executed = await request.connection.exec(command, { stdin, signal: request.signal });
  const lines = executed.stdout.split('\n');
  const okAt = lines.indexOf('OK');
  if (executed.rc === 0 && okAt >= 0 && lines[okAt + 1] && lines[okAt + 2]) {
    const jid = lines[okAt + 1];
    const resultsFile = lines[okAt + 2];
    // the launcher wrote exactly this "started" record: the baseline a poll > 0 wait watches for a change
    const signature = contentSignature(`{"started": ${flag(v, true)}, "finished": ${flag(v, false)}, "ansible_job_id": "${jid}"}`);
    return {
      ok: true,
      jid,
      resultsFile,
      signature,
      result: {
        ansible_job_id: jid,
        changed: true,
        failed: flag(v, false),
        finished: flag(v, false),
        results_file: resultsFile,
        started: flag(v, true),
      },
    };
  }
  const errAt = lines.indexOf('ERR');
  const msg =
    errAt >= 0
      ? lines.slice(errAt + 1).join('\n').trim()
      : `could not start the async job (rc ${executed.rc}): ${(executed.stderr || executed.stdout).trim()}`;
  return { ok: false, result: { failed: true, changed: false, msg } };
}
