/**
 * `jobs attach`: after a controller crash or restart, re-read the journal and follow every job nobody joined
 * until it reports its final result (or is found lost). Each job is waited for with the same status reader and
 * instant-join watcher as a live run; a dropped link is retried with backoff until the job's watchdog deadline
 * (plus a grace period) has passed. New events go to the same journal, so the next attach sees the joins.
 */
import { stopWatchers, watcherFor } from '../async/watcher';
import { readJobStatus, STATUS_ANSWER_MS, type StatusRead } from '../async/status';
import { retryUntilDeadline, sleep } from '../async/retry';
import { isSet } from '../async/shapes';
import type { Connection } from '../connection/types';
import type { JobState, RunEvent, RunEventInput, TaskResult } from '../events/types';
import { readJournal } from '../events/journal';
import { JobConnections } from './connect';
import { trackEvents, type JobRecord } from './tracker';

export interface AttachOptions {
  journalPath: string;
  /** defaults to reconnecting from the journal's facts */
  connections?: JobConnections;
  emit?: (event: RunEventInput) => void;
  /** wake on status-file changes (default) or re-read every `pollSeconds` */
  instantJoins?: boolean;
  pollSeconds?: number;
  /** extra seconds past a job's watchdog deadline before a silent job counts as lost */
  graceSeconds?: number;
  signal?: AbortSignal;
  /** called as each job ends, for live output */
  onOutcome?: (outcome: AttachOutcome) => void;
}

export interface AttachOutcome {
  job: JobRecord;
  state: JobState;
  result?: TaskResult;
  error?: string;
}

export interface AttachReport {
  outcomes: AttachOutcome[];
  badLines: { line: number; text: string; error: string }[];
  /** jobs that were already joined or cleaned (nothing to do) */
  settled: JobRecord[];
}

export async function attachJobs(options: AttachOptions): Promise<AttachReport> {
  const journal = readJournal(options.journalPath);
  const tracker = trackEvents(journal.events as RunEvent[]);
  const open = tracker.open();
  const settled = tracker.all().filter((job) => !open.includes(job));
  const connections = options.connections ?? new JobConnections();
  try {
    const outcomes = await Promise.all(
      open.map(async (job) => {
        const outcome = await followJob(job, connections, options);
        options.onOutcome?.(outcome);
        return outcome;
      }),
    );
    return { outcomes, badLines: journal.badLines, settled };
  } finally {
    await Promise.all(
      connections.all().map(async (connection: Connection) => {
        stopWatchers(connection);
        await connection.close().catch(() => undefined);
      }),
    );
  }
}

async function followJob(job: JobRecord, connections: JobConnections, options: AttachOptions): Promise<AttachOutcome> {
  const emit = options.emit ?? (() => undefined);
  const common = { taskId: job.taskId, task: job.task, host: job.host, jid: job.jid };
  const coreVersion = job.coreVersion ?? '2.14';
  const asyncDir = job.asyncDir ?? job.resultsFile.slice(0, job.resultsFile.lastIndexOf('/'));
  const giveUpAt = Date.parse(job.deadline) + (options.graceSeconds ?? 30) * 1000;
  let connection: Connection;
  try {
    connection = connections.get(job);
  } catch (error) {
    return { job, state: 'lost', error: (error as Error).message };
  }
  // the journal keeps the become user, never a password: sudo must not need one here (-n fails clearly)
  const become = job.becomeUser ? { becomeUser: job.becomeUser } : undefined;
  let polls = 0;
  for (;;) {
    let read: StatusRead;
    try {
      read = await retryUntilDeadline(() => readJobStatus({ connection, asyncDir, jid: job.jid, mode: 'status', coreVersion, become, signal: options.signal, answerWithinMs: STATUS_ANSWER_MS, throughWatcher: options.instantJoins !== false }), {
        deadline: Math.max(giveUpAt, Date.now() + 5000),
        signal: options.signal,
      });
    } catch (error) {
      const reason = `cannot reach ${job.statusHost}: ${(error as Error).message}`;
      emit({ event: 'job_lost', ...common, state: 'lost', reason });
      return { job, state: 'lost', error: reason };
    }
    polls++;
    const result = read.result;
    if (read.state === 'missing') {
      const reason = `status file ${job.resultsFile} not found on ${job.statusHost} (cleaned up elsewhere, or the host lost it)`;
      emit({ event: 'job_lost', ...common, state: 'lost', reason, result });
      return { job, state: 'lost', result, error: reason };
    }
    const finished = isSet(result.finished);
    const state: JobState = !finished ? 'running' : isSet(result.failed) ? (result.msg === 'Timeout exceeded' ? 'timed_out' : 'failed') : 'finished';
    emit({
      event: 'job_status',
      ...common,
      state,
      elapsedSeconds: Math.round((Date.now() - Date.parse(job.startedAt)) / 100) / 10,
      polls,
      finished,
      ...(typeof result.rc === 'number' ? { rc: result.rc } : {}),
    });
    if (finished) {
      emit({ event: 'job_joined', ...common, state, result });
      return { job, state, result };
    }
    if (options.signal?.aborted) return { job, state: 'running', result };
    if (Date.now() > giveUpAt) {
      const reason = `still "running" ${options.graceSeconds ?? 30}s after its watchdog deadline ${job.deadline}: the job's supervisor is gone`;
      emit({ event: 'job_lost', ...common, state: 'lost', reason, result });
      return { job, state: 'lost', result, error: reason };
    }
    const waitSeconds = Math.min(options.pollSeconds ?? 5, Math.max(0.1, (giveUpAt - Date.now()) / 1000));
    if (options.instantJoins === false) await sleep(waitSeconds * 1000, options.signal);
    else await watcherFor(connection, asyncDir, become).waitForChange(job.jid, read.signature, waitSeconds, options.signal);
  }
}
