/**
 * Reading a job's status file the way Ansible's async_status (action plugin + module) does, without Python on
 * the target: one exec prints the file (with its inode:size signature for the watcher), and the rules of the
 * module and the action are applied here. Shared by the async_status module and the poll > 0 loop.
 */
import type { Connection, ExecResult } from '../connection/types';
import type { TaskResult } from '../events/types';
import { shCommand, statusScript } from './remote-scripts';
import { watcherFor } from './watcher';
import { flag, isSet, splitLines, usesBooleanFlags } from './shapes';

export type StatusMode = 'status' | 'cleanup';

export type StatusState = 'running' | 'finished' | 'missing' | 'unparseable' | 'erased';

export interface StatusRead {
  /** async_status's result dict, raw (no `changed`/`failed` defaults: the executor adds those) */
  result: TaskResult;
  state: StatusState;
  /** what the watcher compares against: "=" + the file's first line when read (absent when missing/erased) */
  signature?: string;
  /** the async dir with `~` expanded on the target */
  expandedDir: string;
}

/** `become` for everything a job does on its target: the job runs as this user, its status file is in their async dir */
export interface JobBecome {
  becomeUser: string;
  becomePassword?: string;
}

export interface StatusRequest {
  connection: Connection;
  become?: JobBecome;
  asyncDir: string;
  jid: string;
  mode: StatusMode;
  coreVersion: string;
  signal?: AbortSignal;
  /**
   * Give up on a read that has had no answer after this long (a blocked port or a stopped host answers
   * nothing, not even an error): the exec is abandoned and StatusReadError says so, for the caller to retry.
   */
  answerWithinMs?: number;
  /** read through the host's watcher stream when one is open (no exec); instant joins on */
  throughWatcher?: boolean;
}

/** a stream read unanswered this long falls back to an exec (which has its own answer limit) */
const STREAM_ANSWER_MS = 2000;

/** how long a status read may go unanswered before it is abandoned and retried (a loaded target answers in < 1 s) */
export const STATUS_ANSWER_MS = 5000;

/** Raised when the status could not be read at all (the exec failed): the caller decides whether to retry. */
export class StatusReadError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'StatusReadError';
  }
}

/** The status exec, abandoned with a clear error when it goes unanswered for `answerWithinMs`. */
async function execStatus(request: StatusRequest): Promise<ExecResult> {
  const { connection, asyncDir, jid, mode } = request;
  const viaStream = request.throughWatcher ? watcherFor(connection, asyncDir, request.become).readThroughStream(jid, mode) : undefined;
  if (viaStream) {
    let timer: NodeJS.Timeout | undefined;
    try {
      const stdout = await Promise.race([
        viaStream,
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer on the watch stream')), STREAM_ANSWER_MS))),
      ]);
      return { rc: 0, stdout, stderr: '' };
    } catch {
      viaStream.catch(() => undefined);
      // the stream died or went silent: an exec decides (and reports a blocked link itself)
    } finally {
      clearTimeout(timer);
    }
  }
  const command = shCommand(statusScript(), [asyncDir, jid, mode]);
  if (!request.answerWithinMs) return connection.exec(command, { signal: request.signal, ...request.become });
  const controller = new AbortController();
  const onAbort = () => controller.abort(request.signal?.reason);
  request.signal?.addEventListener('abort', onAbort, { once: true });
  const seconds = Math.round(request.answerWithinMs / 100) / 10;
  const timer = setTimeout(() => controller.abort(new StatusReadError(`no answer from ${connection.host} within ${seconds} s (connection blocked or host stopped?)`)), request.answerWithinMs);
  try {
    return await connection.exec(command, { signal: controller.signal, ...request.become });
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onAbort);
  }
}

export async function readJobStatus(request: StatusRequest): Promise<StatusRead> {
  const { connection, asyncDir, jid, mode, coreVersion } = request;
  const executed = await execStatus(request);
  const out = executed.stdout;
  const firstBreak = out.indexOf('\n');
  if (executed.becomeFailure) throw new StatusReadError(`could not read the job status on ${connection.host}: ${executed.becomeFailure}`);
  if (executed.rc !== 0 || !out.startsWith('DIR ') || firstBreak < 0) {
    throw new StatusReadError(`could not read the job status on ${connection.host} (rc ${executed.rc}): ${(executed.stderr || out).trim()}`);
  }
  const expandedDir = out.slice(4, firstBreak);
  const rest = out.slice(firstBreak + 1);
  const path = `${expandedDir}/${jid}`;
  const invocation = { module_args: { _async_dir: expandedDir, jid, mode } };

  // the action's initial response, then the module's output merged over it
  const base: TaskResult = { started: 0, finished: 0, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [], ansible_job_id: jid };
  if (mode === 'cleanup') base.erased = path;
  else {
    base.results_file = path;
    base.started = 1;
  }
  const finish = (moduleOutput: TaskResult, state: StatusState, signature?: string): StatusRead => {
    const merged = { ...base, ...withLines(moduleOutput) };
    if (!('invocation' in merged)) merged.invocation = invocation;
    return { result: typed(merged, coreVersion), state, signature, expandedDir };
  };

  if (rest.startsWith('MISSING')) {
    return finish({ failed: true, msg: 'could not find job', ansible_job_id: jid, started: 1, finished: 1, invocation }, 'missing');
  }
  if (mode === 'cleanup') {
    if (rest.startsWith('ERASED')) return finish({ ansible_job_id: jid, erased: path, invocation }, 'erased');
    throw new StatusReadError(`could not remove ${path} on ${connection.host}: ${rest.replace(/^ERROR /, '').trim()}`);
  }
  if (!rest.startsWith('CONTENT\n')) throw new StatusReadError(`unexpected status output from ${connection.host}: ${rest.slice(0, 200)}`);
  const data = rest.slice('CONTENT\n'.length);
  const signature = contentSignature(data);
  if (data.trim() === '') {
    // async_wrapper has not written the file yet: running
    return finish({ results_file: path, ansible_job_id: jid, started: 1, finished: 0, invocation }, 'running', signature);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return finish(
      { failed: true, msg: `Could not parse job output: ${data}`, ansible_job_id: jid, results_file: path, started: 1, finished: 1, invocation },
      'unparseable',
      signature,
    );
  }
  const record = { ...(parsed as TaskResult) };
  if (!('started' in record)) {
    record.finished = 1;
    record.ansible_job_id = jid;
  } else if (!('finished' in record)) {
    record.finished = 0;
  }
  if (!('invocation' in record)) record.invocation = invocation;
  return finish(record, isSet(record.finished) ? 'finished' : 'running', signature);
}

/** ActionBase._execute_module pre-splits stdout/stderr into *_lines when the module did not. */
function withLines(output: TaskResult): TaskResult {
  const out = { ...output };
  for (const stream of ['stdout', 'stderr'] as const) {
    if (stream in out && !(`${stream}_lines` in out)) {
      const text = out[stream];
      out[`${stream}_lines`] = splitLines(typeof text === 'string' ? text : text ? String(text) : '');
    }
  }
  return out;
}

/** 2.19's async_status converts started/finished with bool(); older lines keep what the file had. */
function typed(result: TaskResult, coreVersion: string): TaskResult {
  if (usesBooleanFlags(coreVersion)) {
    result.started = isSet(result.started);
    result.finished = isSet(result.finished);
  }
  return result;
}

/** started/finished in the shape of the target version, for results we build ourselves */
export function statusFlags(coreVersion: string, finished: boolean): { started: number | boolean; finished: number | boolean } {
  return { started: flag(coreVersion, true), finished: flag(coreVersion, finished) };
}

/**
 * The watcher's view of a status file: "=" + its first line, trimmed like sh's `read` trims. The "started"
 * record and every final result differ in it, and reading it costs the target no fork.
 */
export function contentSignature(content: string): string {
  const newline = content.indexOf('\n');
  return '=' + (newline < 0 ? content : content.slice(0, newline)).replace(/^[ \t]+|[ \t]+$/g, '');
}
