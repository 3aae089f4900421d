/**
 * The block printed after PLAY RECAP: jobs launched with `poll: 0` (or abandoned by a timed-out wait) that the
 * playbook never joined, with the last state we know. They are still running or finished unseen on their
 * hosts; `playbook-studio jobs attach JOURNAL` picks them up.
 */
import type { RunEvent } from '../events/types';
import { JobTracker, trackEvents, type JobRecord } from './tracker';

export function unjoinedJobs(source: Iterable<RunEvent> | JobTracker): JobRecord[] {
  const tracker = source instanceof JobTracker ? source : trackEvents(source);
  return tracker.open();
}

/** Text lines (empty when every job was joined). */
export function summarizeUnjoinedJobs(source: Iterable<RunEvent> | JobTracker, journalPath?: string): string[] {
  const jobs = unjoinedJobs(source);
  if (jobs.length === 0) return [];
  const lines = [`ASYNC JOBS NOT JOINED (${jobs.length}) `.padEnd(79, '*')];
  for (const job of jobs) lines.push(describeJob(job));
  if (journalPath) lines.push(`re-attach: playbook-studio jobs attach ${journalPath}`);
  return lines;
}

export function describeJob(job: JobRecord): string {
  const where = job.statusHost !== job.host ? `${job.host} -> ${job.statusHost}` : job.host;
  const rc = job.rc !== undefined ? ` rc=${job.rc}` : '';
  const why = job.reason ? ` (${job.reason})` : '';
  return `${where}: jid=${job.jid} task="${job.task}" async=${job.async}s state=${job.state}${rc}${why} last seen ${job.lastSeenAt}, watchdog at ${job.deadline}`;
}
