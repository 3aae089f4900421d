/**
 * Async tasks (`async:` + `poll:`), the seam with the executor. The executor decides that a task runs as a job
 * and hands over the module's remote script; this module launches it with the job wrapper, journals the launch
 * (job_started, before anything else can happen to the controller) and, for `poll > 0`, waits for it the way
 * ansible-core does. `until` on the async task itself is the executor's loop: each attempt calls this again.
 */
import type { Connection } from '../connection/types';
import type { RunEventInput, TaskResult } from '../events/types';
import { launchJob } from './launch';
import { pollUntilDone } from './poll';
import type { JobBecome } from './status';
import { isLocal, targetOf, type JobTarget } from './target';
import { watchdogLimitSeconds } from './watchdog';

export interface AsyncLaunch {
  /** where the job runs (the delegate's connection when delegate_to is set) */
  connection: Connection;
  /** inventory host (for events) */
  host: string;
  taskId: string;
  task: string;
  /** POSIX sh that performs the module and prints exactly one JSON object (its result) on stdout */
  script: string;
  asyncSeconds: number;
  poll: number;
  /** ansible_async_dir or "~/.ansible_async" (~ is the remote $HOME, as async_wrapper expands it) */
  asyncDir: string;
  environment?: Record<string, string>;
  /** sudo to this user (the task's become): the job runs as them, its status file in their async dir */
  become?: JobBecome;
  register?: string;
  /** "2.14" … "2.19": result field types differ (ints vs booleans in 2.19) */
  coreVersion: string;
  emit(event: RunEventInput): void;
  signal?: AbortSignal;
  instantJoins: boolean;
  /** "h1 -> h2" label when delegated (events only) */
  delegatedTo?: string;
  /** how `jobs attach` reaches the job's host again; read from an SshConnection when absent */
  target?: JobTarget;
  /** test hook: behave as if the target had no setsid */
  withoutSetsid?: boolean;
}

export type { JobTarget } from './target';
export { asyncStatusModule } from './async-status';
export { killJob, killJobAndReport } from './kill';
export { summarizeUnjoinedJobs } from '../jobs/summary';

/**
 * poll <= 0 or async <= 0 (but truthy): returns the launch result (2.14 / 2.19 shapes) and emits job_started.
 * poll > 0: at most ceil(async/poll) checks, runner_on_async_poll per non-final check, runner_on_async_ok/_failed,
 * cleanup of a finished job's status file, the exact timeout failure; returns the final result.
 */
export async function runAsyncTask(launch: AsyncLaunch): Promise<TaskResult> {
  const launchedAt = Date.now();
  const launched = await launchJob({
    connection: launch.connection,
    script: launch.script,
    asyncSeconds: launch.asyncSeconds,
    asyncDir: launch.asyncDir,
    environment: launch.environment,
    coreVersion: launch.coreVersion,
    become: launch.become,
    signal: launch.signal,
    withoutSetsid: launch.withoutSetsid,
    throughWatcher: launch.instantJoins,
  });
  if (!launched.ok || !launched.jid) return launched.result;

  const common = { taskId: launch.taskId, task: launch.task, host: launch.host, ...(launch.delegatedTo ? { delegatedTo: launch.delegatedTo } : {}) };
  const target = launch.target ?? targetOf(launch.connection);
  launch.emit({
    event: 'job_started',
    ...common,
    jid: launched.jid,
    async: launch.asyncSeconds,
    poll: launch.poll,
    deadline: new Date(launchedAt + watchdogLimitSeconds(launch.asyncSeconds) * 1000).toISOString(),
    resultsFile: launched.resultsFile!,
    ...(launch.register ? { register: launch.register } : {}),
    ...(launch.connection.host !== launch.host ? { statusHost: launch.connection.host } : {}),
    asyncDir: launch.asyncDir,
    ...(target ? { target } : {}),
    ...(isLocal(launch.connection) ? { local: true } : {}),
    coreVersion: launch.coreVersion,
    ...(launch.become ? { becomeUser: launch.become.becomeUser } : {}),
  });

  if (launch.poll <= 0 || launch.asyncSeconds <= 0) return launched.result;

  return pollUntilDone({
    connection: launch.connection,
    host: launch.host,
    taskId: launch.taskId,
    task: launch.task,
    jid: launched.jid,
    asyncDir: launch.asyncDir,
    asyncSeconds: launch.asyncSeconds,
    poll: launch.poll,
    coreVersion: launch.coreVersion,
    become: launch.become,
    instantJoins: launch.instantJoins,
    launchSignature: launched.signature,
    launchedAt,
    delegatedTo: launch.delegatedTo,
    emit: launch.emit,
    signal: launch.signal,
  });
}
