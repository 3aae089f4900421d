/**
 * `jobs cleanup`: removes status files of journaled jobs the way `async_status mode=cleanup` does (the job is
 * never stopped). Running jobs are left alone unless --all: their file is the only way to learn their result.
 */
import { readJobStatus } from '../../runtime/async/status';
import { isSet } from '../../runtime/async/shapes';
import { stopWatchers } from '../../runtime/async/watcher';
import { JobConnections } from '../../runtime/jobs/connect';
import type { JobRecord } from '../../runtime/jobs/tracker';

export interface CleanupOutcome {
  job: JobRecord;
  action: 'erased' | 'kept-running' | 'not-found' | 'error';
  detail?: string;
}

export async function cleanupJobs(jobs: JobRecord[], all: boolean, connections = new JobConnections()): Promise<CleanupOutcome[]> {
  try {
    return await Promise.all(
      jobs.map(async (job): Promise<CleanupOutcome> => {
        const asyncDir = job.asyncDir ?? job.resultsFile.slice(0, job.resultsFile.lastIndexOf('/'));
        const coreVersion = job.coreVersion ?? '2.14';
        try {
          const connection = connections.get(job);
          if (!all) {
            const status = await readJobStatus({ connection, asyncDir, jid: job.jid, mode: 'status', coreVersion });
            if (status.state === 'missing') return { job, action: 'not-found' };
            if (!isSet(status.result.finished)) return { job, action: 'kept-running' };
          }
          const removed = await readJobStatus({ connection, asyncDir, jid: job.jid, mode: 'cleanup', coreVersion });
          return removed.state === 'erased' ? { job, action: 'erased', detail: String(removed.result.erased) } : { job, action: 'not-found' };
        } catch (error) {
          return { job, action: 'error', detail: (error as Error).message };
        }
      }),
    );
  } finally {
    for (const connection of connections.all()) {
      stopWatchers(connection);
      await connection.close().catch(() => undefined);
    }
  }
}
