/**
 * Starts a job on the target with one exec that returns at once: the launcher writes the "started" record,
 * detaches the runner and the watchdog, and prints the jid. The result is the launch dict Ansible registers for
 * `poll: 0` (2.14: `failed: 0`, ints; 2.19: booleans).
 */
import type { Connection, ExecResult } from '../connection/types';
import { shellQuote } from '../connection/quote';
import type { TaskResult } from '../events/types';
import { jidPrefix } from './jid';
import { launcherScript, shCommand } from './remote-scripts';
import { flag, usesBooleanFlags } from './shapes';
import { contentSignature, type JobBecome } from './status';
import { watchdogLimitSeconds } from './watchdog';
import { watcherFor } from './watcher';

export interface LaunchRequest {
  connection: Connection;
  script: string;
  asyncSeconds: number;
  asyncDir: string;
  environment?: Record<string, string>;
  coreVersion: string;
  /** sudo to this user: the job runs as them, its status file in their async dir (~ is their home) */
  become?: JobBecome;
  signal?: AbortSignal;
  /** launch through the host's watcher stream when one is open (instant joins on): no new SSH session */
  throughWatcher?: boolean;
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

/**
 * Module scripts up to this size travel on the command line (no file to write on the target); larger ones go
 * through stdin into a private tmp dir. Linux caps one argument at 128 KiB, and the whole command is one.
 */
const INLINE_SCRIPT_MAX = 64 * 1024;

export async function launchJob(request: LaunchRequest): Promise<LaunchOutcome> {
  const v = request.coreVersion;
  const failedFlag = usesBooleanFlags(v) ? 'true' : '1';
  const script = environmentPrelude(request.environment) + request.script;
  const inline = Buffer.byteLength(script) <= INLINE_SCRIPT_MAX && script !== '';
  const prefix = jidPrefix();
  const limit = watchdogLimitSeconds(request.asyncSeconds);
  const started = String(flag(v, true));
  const finished = String(flag(v, false));
  // the host's watch stream starts the job in its own shell; without one (no bash, instant joins off) an exec does
  const viaStream =
    inline && request.throughWatcher && !request.withoutSetsid
      ? await watcherFor(request.connection, request.asyncDir, request.become)
          .startJobThroughStream(`${prefix} ${limit} ${started} ${finished} ${failedFlag}`, script)
          .then(
            (answer) => answer && ({ rc: answer.rc, stdout: answer.stdout, stderr: '' } as ExecResult),
            // a stream that dies mid-launch leaves it unknown whether the job started: that is reported, never retried
            (error: Error) => ({ rc: -1, stdout: '', stderr: `the watch stream carrying the launch failed: ${error.message}` }) as ExecResult,
          )
      : undefined;
  const executed =
    viaStream ??
    (await request.connection.exec(
      shCommand(launcherScript(), [prefix, request.asyncDir, limit, started, finished, failedFlag, request.withoutSetsid ? '1' : '0', inline ? script : '']),
      { ...(inline ? {} : { stdin: script }), signal: request.signal, ...request.become },
    ));
  if (executed.becomeFailure) return { ok: false, result: { failed: true, changed: false, msg: executed.becomeFailure } };
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
