/**
 * Cancel with --kill-jobs-on-cancel: stop a launched job for good. Ansible has no such thing (cleanup only
 * removes the status file), so the job's end is recorded like the watchdog's timeout record, with its own
 * message, and every reader (ours or Ansible's async_status) sees it finished and failed.
 */
import type { Connection } from '../connection/types';
import type { RunEventInput } from '../events/types';
import { killScript, shCommand } from './remote-scripts';

export interface KillOutcome {
  killed: boolean;
  /** the runner's pid (its process group) when it was running */
  pid?: number;
}

export async function killJob(connection: Connection, asyncDir: string, jid: string, signal?: AbortSignal): Promise<KillOutcome> {
  const executed = await connection.exec(shCommand(killScript(), [asyncDir, jid]), { signal });
  const m = /KILLED (\d+)/.exec(executed.stdout);
  if (m) return { killed: true, pid: Number(m[1]) };
  if (executed.stdout.includes('NOTRUNNING')) return { killed: false };
  throw new Error(`could not kill job ${jid} on ${connection.host}: ${(executed.stderr || executed.stdout).trim() || `rc ${executed.rc}`}`);
}

/** Kills and reports it as the job's end (job_status failed + job_lost would be wrong: we know what happened). */
export async function killJobAndReport(
  job: { connection: Connection; asyncDir: string; jid: string; host: string; taskId: string; task: string },
  emit: (event: RunEventInput) => void,
): Promise<KillOutcome> {
  const outcome = await killJob(job.connection, job.asyncDir, job.jid);
  if (outcome.killed) {
    emit({ event: 'job_joined', taskId: job.taskId, task: job.task, host: job.host, jid: job.jid, state: 'failed', reason: 'killed on cancel', result: { failed: true, msg: 'Job killed on cancel', child_pid: outcome.pid } });
  }
  return outcome;
}
