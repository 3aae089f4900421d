/**
 * Folds the event stream (live, or re-read from a journal) into one record per async job: what was launched
 * where, whether anyone joined it, and the last state seen. The same fold serves the end-of-run summary, the
 * `jobs` command and the attach logic, so they always agree on which jobs are still open.
 */
import type { JobState, JobStartedEvent, RunEvent, TaskResult } from '../events/types';

export interface JobRecord {
  jid: string;
  /** inventory host the task ran for */
  host: string;
  /** host whose async dir holds the status file (the delegate when delegated) */
  statusHost: string;
  task: string;
  taskId: string;
  async: number;
  poll: number;
  deadline: string;
  resultsFile: string;
  asyncDir?: string;
  register?: string;
  target?: JobStartedEvent['target'];
  local?: boolean;
  coreVersion?: string;
  /** become user the job runs as (attach reads their async dir through sudo -n) */
  becomeUser?: string;
  run: string;
  startedAt: string;
  state: JobState;
  /** a poll > 0 wait or an async_status saw it finished */
  joined: boolean;
  lastSeenAt: string;
  polls: number;
  rc?: number;
  result?: TaskResult;
  reason?: string;
}

export class JobTracker {
  private readonly jobs = new Map<string, JobRecord>();

  observe(event: RunEvent): void {
    if (event.event === 'job_started') {
      this.jobs.set(keyOf(event.statusHost ?? event.host, event.jid), {
        jid: event.jid,
        host: event.host,
        statusHost: event.statusHost ?? event.host,
        task: event.task,
        taskId: event.taskId,
        async: event.async,
        poll: event.poll,
        deadline: event.deadline,
        resultsFile: event.resultsFile,
        asyncDir: event.asyncDir,
        register: event.register,
        target: event.target,
        local: event.local,
        coreVersion: event.coreVersion,
        ...(event.becomeUser ? { becomeUser: event.becomeUser } : {}),
        run: event.run,
        startedAt: event.time,
        state: 'running',
        joined: false,
        lastSeenAt: event.time,
        polls: 0,
      });
      return;
    }
    if (!('jid' in event) || typeof event.jid !== 'string') return;
    const job = this.find(event.host, event.jid);
    if (!job) return;
    job.lastSeenAt = event.time;
    switch (event.event) {
      case 'job_status':
        job.polls = Math.max(job.polls, event.polls);
        if (!isFinal(job.state) || event.finished) job.state = event.state;
        if (event.rc !== undefined) job.rc = event.rc;
        job.reason = event.reason;
        break;
      case 'runner_on_async_poll':
        job.polls = Math.max(job.polls, event.poll ?? job.polls + 1);
        break;
      case 'job_joined':
        job.joined = true;
        job.state = event.state;
        job.result = event.result;
        if (typeof event.result?.rc === 'number') job.rc = event.result.rc;
        break;
      case 'job_timeout':
        // the controller gave up waiting; the job itself may still run until the watchdog
        job.state = 'timed_out';
        job.reason = event.reason;
        job.result = event.result;
        break;
      case 'job_lost':
        if (!job.joined && job.state !== 'cleaned') {
          job.state = 'lost';
          job.reason = event.reason;
        }
        break;
      case 'job_cleaned':
        job.state = 'cleaned';
        break;
      default:
        break;
    }
  }

  all(): JobRecord[] {
    return [...this.jobs.values()];
  }

  /** jobs nobody has joined and whose status file was not cleaned up: the ones `jobs attach` re-polls */
  open(): JobRecord[] {
    return this.all().filter((job) => !job.joined && job.state !== 'cleaned');
  }

  private find(host: string, jid: string): JobRecord | undefined {
    const direct = this.jobs.get(keyOf(host, jid));
    if (direct) return direct;
    // async_status events carry the inventory host; the job may be keyed by its delegate
    for (const job of this.jobs.values()) if (job.jid === jid && (job.host === host || job.statusHost === host)) return job;
    for (const job of this.jobs.values()) if (job.jid === jid) return job;
    return undefined;
  }
}

function keyOf(host: string, jid: string): string {
  return `${host}\u0000${jid}`;
}

function isFinal(state: JobState): boolean {
  return state === 'finished' || state === 'failed' || state === 'cleaned';
}

export function trackEvents(events: Iterable<RunEvent>): JobTracker {
  const tracker = new JobTracker();
  for (const event of events) tracker.observe(event);
  return tracker;
}
