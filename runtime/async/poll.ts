/**
 * `poll > 0`: the controller's wait after a launch, as TaskExecutor._poll_async_result does it:
 * time_left = async; while time_left > 0 { sleep(poll); status; time_left -= poll } → at most ceil(async/poll)
 * checks whatever the wall time. Every check that does not end the loop emits runner_on_async_poll; the loop ends
 * on `finished` or on a failed status (could not find job, unparseable); a finished job's file is cleaned up.
 *
 * Instant joins only shorten the sleeps: a check made early because the status file changed counts as the check
 * that would have seen the change, and an early check that still sees the job running is not counted and not
 * reported (the sleep continues), so polls, messages and results stay Ansible's.
 */
import type { Connection } from '../connection/types';
import type { RunEventInput, TaskResult } from '../events/types';
import { retryUntilDeadline, sleep } from './retry';
import { readJobStatus, STATUS_ANSWER_MS, type JobBecome, type StatusRead } from './status';
import { isSet } from './shapes';
import { watcherFor } from './watcher';

export interface PollRequest {
  connection: Connection;
  host: string;
  taskId: string;
  task: string;
  jid: string;
  asyncDir: string;
  asyncSeconds: number;
  poll: number;
  coreVersion: string;
  become?: JobBecome;
  instantJoins: boolean;
  /** signature of the status file right after launch (undefined: unknown) */
  launchSignature?: string;
  launchedAt: number;
  delegatedTo?: string;
  emit(event: RunEventInput): void;
  signal?: AbortSignal;
}

export async function pollUntilDone(request: PollRequest): Promise<TaskResult> {
  const { connection, host, taskId, task, jid, asyncDir, asyncSeconds, poll, coreVersion, become } = request;
  const maxChecks = Math.ceil(asyncSeconds / poll);
  // status reads may be retried (dropped link) until the last check would have happened, plus one interval
  const deadline = request.launchedAt + (maxChecks + 1) * poll * 1000;
  const common = { taskId, task, host, ...(request.delegatedTo ? { delegatedTo: request.delegatedTo } : {}) };
  let signature = request.launchSignature;
  let last: StatusRead | undefined;

  const read = (mode: 'status' | 'cleanup') =>
    retryUntilDeadline(() => readJobStatus({ connection, asyncDir, jid, mode, coreVersion, become, signal: request.signal, answerWithinMs: STATUS_ANSWER_MS, throughWatcher: request.instantJoins }), {
      deadline,
      signal: request.signal,
      onError: (error, tries, nextDelayMs) =>
        request.emit({
          event: 'job_status',
          ...common,
          jid,
          state: 'running',
          elapsedSeconds: elapsed(request.launchedAt),
          polls: checks,
          finished: false,
          reason: `status read failed (try ${tries}, retrying in ${nextDelayMs} ms): ${(error as Error).message}`,
        }),
    });

  let checks = 0;
  let timeLeft = asyncSeconds;
  while (timeLeft > 0) {
    const intervalEnd = Date.now() + poll * 1000;
    for (;;) {
      const remaining = (intervalEnd - Date.now()) / 1000;
      let early = false;
      if (request.instantJoins && signature !== undefined) {
        early = remaining > 0 && (await watcherFor(connection, asyncDir, become).waitForChange(jid, signature, remaining, request.signal));
      } else {
        await sleep(remaining * 1000, request.signal);
      }
      if (request.signal?.aborted) throw request.signal.reason ?? new Error('aborted');
      last = await read('status');
      signature = last.signature;
      if (!early || ends(last.result)) break;
      // woke on a change that did not end the job (e.g. a rewrite): not a check; sleep out the interval
    }
    checks++;
    timeLeft -= poll;
    const result = last.result;
    request.emit({
      event: 'job_status',
      ...common,
      jid,
      state: last.state === 'running' ? 'running' : isSet(result.failed) ? 'failed' : 'finished',
      elapsedSeconds: elapsed(request.launchedAt),
      polls: checks,
      finished: isSet(result.finished),
      ...(typeof result.rc === 'number' ? { rc: result.rc } : {}),
    });
    if (ends(result)) break;
    request.emit({
      event: 'runner_on_async_poll',
      ...common,
      jid,
      started: result.started as number | boolean,
      finished: result.finished as number | boolean,
      poll: checks,
      polls: maxChecks,
      result,
    });
  }

  const finalResult = last!.result;
  if (!isSet(finalResult.finished)) {
    const failure: TaskResult = {
      failed: true,
      msg: `async task did not complete within the requested time - ${asyncSeconds}s`,
      changed: false,
      async_result: finalResult,
    };
    request.emit({ event: 'runner_on_async_failed', ...common, jid: String(finalResult.ansible_job_id ?? jid), result: failure });
    request.emit({ event: 'job_timeout', ...common, jid, state: 'running', reason: failure.msg as string, result: finalResult });
    return failure;
  }
  // Ansible cleans up every finished job's status file, silently; a failure to do so does not change the result
  let cleaned = false;
  try {
    await readJobStatus({ connection, asyncDir, jid, mode: 'cleanup', coreVersion, become, signal: request.signal, throughWatcher: request.instantJoins });
    cleaned = true;
  } catch {
    cleaned = false;
  }
  const failed = isSet(finalResult.failed);
  request.emit({ event: failed ? 'runner_on_async_failed' : 'runner_on_async_ok', ...common, jid, result: finalResult });
  request.emit({ event: 'job_joined', ...common, jid, state: failed ? 'failed' : 'finished', result: finalResult });
  if (cleaned) request.emit({ event: 'job_cleaned', ...common, jid, state: 'cleaned' });
  return finalResult;
}

/** the loop's break condition: finished, or a failure async_status reported (could not find job, unparseable) */
function ends(result: TaskResult): boolean {
  return isSet(result.finished) || 'failed' in result || 'skipped' in result;
}

function elapsed(since: number): number {
  return Math.round((Date.now() - since) / 100) / 10;
}
