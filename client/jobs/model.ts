/**
 * The Jobs tree as data: runs → plays → tasks → hosts → async jobs, built only from run events.
 * Pure (no VS Code import) so the same code rebuilds a run from its journal after a reload and is unit-tested
 * without an editor. The tree view, the status bar and the diagnostics read from here; labels live in labels.ts.
 */
import type { JobState, RunEvent, SourcePosition, TaskResult } from '../../runtime/events/types';

export type RunState = 'running' | 'ok' | 'failed' | 'cancelled' | 'interrupted' | 'error';
export type HostState = 'running' | 'ok' | 'changed' | 'failed' | 'ignored' | 'skipped' | 'unreachable' | 'retrying';

export interface JobNode {
  kind: 'job';
  key: string;
  runId: string;
  jid: string;
  host: string;
  /** the task that launched the job */
  taskId: string;
  state: JobState;
  /** async limit in seconds (0 when unknown) */
  asyncLimit: number;
  poll?: number;
  startedAt: number;
  /** epoch ms when the remote watchdog kills the job, when known */
  deadline?: number;
  /** elapsed seconds as of `elapsedAt` (from the last job_status) */
  elapsedSeconds: number;
  elapsedAt: number;
  /** epoch ms of the end, when the job is no longer running */
  endedAt?: number;
  polls: number;
  maxPolls?: number;
  /** attempt n of N of the wait that joins this job (async_status + until) */
  attempt?: number;
  attempts?: number;
  /** epoch ms when the wait that joins this job gives up */
  budgetDeadline?: number;
  rc?: number;
  joined: boolean;
  reason?: string;
  result?: TaskResult;
  /** job launched with poll: 0 (tracked until joined) */
  background: boolean;
}

export interface HostNode {
  kind: 'host';
  key: string;
  runId: string;
  taskId: string;
  host: string;
  delegatedTo?: string;
  state: HostState;
  startedAt: number;
  endedAt?: number;
  attempt?: number;
  attempts?: number;
  /** epoch ms when this host's wait budget for the task runs out */
  budgetDeadline?: number;
  result?: TaskResult;
  items: { state: HostState; item: unknown; result: TaskResult }[];
  jobs: JobNode[];
  /** the task is async: job nodes are coming (the tree shows the host expanded from the start) */
  expectsJobs: boolean;
  message?: string;
}

export interface TaskNode {
  kind: 'task';
  key: string;
  runId: string;
  taskId: string;
  playId: string;
  name: string;
  action: string;
  handler: boolean;
  position?: SourcePosition;
  async?: number;
  poll?: number;
  retries?: number;
  delay?: number;
  budgetSeconds?: number | null;
  startedAt: number;
  hosts: HostNode[];
}

export interface PlayNode {
  kind: 'play';
  key: string;
  runId: string;
  playId: string;
  name: string;
  hosts: string[];
  position?: SourcePosition;
  tasks: TaskNode[];
}

export interface RunNode {
  kind: 'run';
  key: string;
  runId: string;
  playbook: string;
  /** working directory of the run: relative event positions resolve against it */
  cwd?: string;
  engine?: string;
  state: RunState;
  startedAt: number;
  endedAt?: number;
  rc?: number;
  plays: PlayNode[];
  /** total number of tasks when the engine announces it */
  taskCount?: number;
  tasksStarted: number;
  warnings: string[];
  stats?: Record<string, { ok: number; changed: number; failed: number; unreachable: number; skipped: number; rescued: number; ignored: number }>;
  /** set once every event has been applied and the process is gone: no more live updates */
  live: boolean;
}

export type TreeNode = RunNode | PlayNode | TaskNode | HostNode | JobNode;

/** A failed task result to show as a diagnostic on its task line. */
export interface TaskFailure {
  runId: string;
  host: string;
  task: string;
  position: SourcePosition;
  message: string;
  unreachable: boolean;
}

const endedJobStates: ReadonlySet<JobState> = new Set(['finished', 'failed', 'timed_out', 'lost', 'cleaned']);

export function isJobRunning(job: JobNode): boolean {
  return job.state === 'running';
}

function timeOf(event: { time?: string }): number {
  const t = event.time ? Date.parse(event.time) : NaN;
  return Number.isFinite(t) ? t : Date.now();
}

function truthy(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true' || value === 'True';
}

/** The short message Ansible would print for a failed result. */
export function resultMessage(result: TaskResult | undefined): string | undefined {
  if (!result) return undefined;
  const msg = result.msg;
  if (typeof msg === 'string' && msg !== '') return msg;
  const stderr = result.stderr;
  if (typeof stderr === 'string' && stderr.trim() !== '') return stderr.trim().split('\n')[0];
  if (typeof result.rc === 'number' && result.rc !== 0) return `non-zero return code (rc ${result.rc})`;
  return undefined;
}

/**
 * One run's tree, fed event by event. Unknown events and fields are ignored (the protocol may grow); events that
 * refer to a task or job this run has not seen create it rather than being dropped, so a journal whose start was
 * lost still shows what happened.
 */
export class RunModel {
  readonly node: RunNode;
  private readonly plays = new Map<string, PlayNode>();
  private readonly tasks = new Map<string, TaskNode>();
  private readonly jobsByKey = new Map<string, JobNode>();
  private readonly jobsByJid = new Map<string, JobNode>();
  private readonly failureList: TaskFailure[] = [];

  constructor(runId: string, playbook: string, startedAt = Date.now(), cwd?: string) {
    this.node = {
      kind: 'run',
      key: `run:${runId}`,
      runId,
      playbook,
      cwd,
      state: 'running',
      startedAt,
      plays: [],
      tasksStarted: 0,
      warnings: [],
      live: true,
    };
  }

  get failures(): readonly TaskFailure[] {
    return this.failureList;
  }

  jobs(): JobNode[] {
    return [...this.jobsByKey.values()];
  }

  runningJobs(): JobNode[] {
    return this.jobs().filter(isJobRunning);
  }

  /** Applies one event; returns false when it is not one this model knows (ignored). */
  apply(event: RunEvent): boolean {
    const at = timeOf(event);
    switch (event.event) {
      case 'playbook_on_start':
        this.node.playbook = event.playbook || this.node.playbook;
        this.node.engine = event.engine;
        this.node.startedAt = at;
        {
          const count = (event as { taskCount?: unknown }).taskCount;
          if (typeof count === 'number') this.node.taskCount = count;
        }
        return true;
      case 'playbook_on_play_start': {
        const play = this.play(event.playId, event.play, at);
        play.hosts = event.hosts ?? play.hosts;
        play.position = event.position ?? play.position;
        return true;
      }
      case 'playbook_on_task_start':
      case 'playbook_on_handler_task_start': {
        const known = this.tasks.get(event.taskId);
        const task = this.task(event.taskId, event.task, at, event.playId, event.play);
        task.action = event.action ?? task.action;
        task.handler = event.event === 'playbook_on_handler_task_start';
        task.position = event.position ?? positionFromTaskPath(event.task_path) ?? task.position;
        task.async = event.async;
        task.poll = event.poll;
        task.retries = event.retries;
        task.delay = event.delay;
        task.budgetSeconds = event.budgetSeconds;
        task.startedAt = at;
        if (!known || known.hosts.length === 0) this.node.tasksStarted = this.tasks.size;
        return true;
      }
      case 'runner_on_start': {
        const host = this.host(event.taskId, event.task, event.host, at, true);
        host.state = 'running';
        host.delegatedTo = event.delegatedTo;
        const task = this.tasks.get(event.taskId);
        if (task?.budgetSeconds && task.budgetSeconds > 0) host.budgetDeadline = at + task.budgetSeconds * 1000;
        return true;
      }
      case 'runner_on_ok':
      case 'runner_on_failed':
      case 'runner_on_skipped':
      case 'runner_on_unreachable': {
        const host = this.host(event.taskId, event.task, event.host, at);
        host.result = event.result;
        host.endedAt = at;
        host.budgetDeadline = undefined;
        host.state = hostStateOf(event.event, event.changed ?? truthy(event.result?.changed), event.ignoreErrors);
        host.message = host.state === 'failed' || host.state === 'unreachable' || host.state === 'ignored' ? resultMessage(event.result) : undefined;
        if (host.state === 'failed' || host.state === 'unreachable') this.recordFailure(event.taskId, host, event.result);
        return true;
      }
      case 'runner_item_on_ok':
      case 'runner_item_on_failed':
      case 'runner_item_on_skipped': {
        const host = this.host(event.taskId, event.task, event.host, at);
        const state = hostStateOf(event.event, event.changed ?? truthy(event.result?.changed), event.ignoreErrors);
        host.items.push({ state, item: event.item, result: event.result });
        return true;
      }
      case 'runner_retry': {
        const host = this.host(event.taskId, event.task, event.host, at);
        host.state = 'retrying';
        host.attempt = event.attempts + 1;
        host.attempts = event.retries;
        host.result = event.result;
        if (typeof event.budgetLeft === 'number') host.budgetDeadline = at + event.budgetLeft * 1000;
        const jid = jidOf(event.result);
        const job = jid ? this.jobsByJid.get(jid) : undefined;
        if (job) {
          job.attempt = host.attempt;
          job.attempts = host.attempts;
          job.budgetDeadline = host.budgetDeadline;
          this.observeJobResult(job, event.result, at);
        }
        return true;
      }
      case 'runner_on_async_poll': {
        const job = this.job(event.jid, event.host, event.taskId, event.task, at, false);
        job.polls = event.poll ?? job.polls + 1;
        if (typeof event.polls === 'number') job.maxPolls = event.polls;
        const task = this.tasks.get(event.taskId);
        if (task?.async && !job.asyncLimit) job.asyncLimit = task.async;
        if (event.result) this.observeJobResult(job, event.result, at);
        return true;
      }
      case 'runner_on_async_ok':
      case 'runner_on_async_failed': {
        const jid = event.jid || jidOf(event.result) || '';
        const job = this.job(jid, event.host, event.taskId, event.task, at, false);
        job.result = event.result;
        job.joined = true;
        this.endJob(job, event.event === 'runner_on_async_ok' ? 'finished' : timedOut(event.result) ? 'timed_out' : 'failed', at);
        if (typeof event.result?.rc === 'number') job.rc = event.result.rc;
        return true;
      }
      case 'job_started': {
        const job = this.job(event.jid, event.host, event.taskId, event.task, at, true);
        job.asyncLimit = event.async;
        job.poll = event.poll;
        job.background = event.poll === 0;
        const deadline = Date.parse(event.deadline);
        if (Number.isFinite(deadline)) job.deadline = deadline;
        if (event.poll > 0 && event.async > 0) job.maxPolls = Math.ceil(event.async / event.poll);
        return true;
      }
      case 'job_status': {
        const job = this.job(event.jid, event.host, event.taskId, event.task, at, false);
        job.elapsedSeconds = event.elapsedSeconds;
        job.elapsedAt = at;
        job.polls = Math.max(job.polls, event.polls);
        if (typeof event.rc === 'number') job.rc = event.rc;
        if (event.state !== 'running') this.endJob(job, event.state, at);
        else if (job.state !== 'running' && !job.joined) job.state = 'running';
        return true;
      }
      case 'job_joined':
      case 'job_timeout':
      case 'job_lost':
      case 'job_cleaned': {
        const job = this.job(event.jid, event.host, event.taskId, event.task, at, false);
        if (event.result) {
          job.result = event.result;
          if (typeof event.result.rc === 'number') job.rc = event.result.rc;
        }
        job.reason = event.reason ?? job.reason;
        if (event.event === 'job_joined') job.joined = true;
        const state: JobState =
          event.event === 'job_timeout' ? 'timed_out' : event.event === 'job_lost' ? 'lost' : event.event === 'job_cleaned' && job.state === 'running' ? 'cleaned' : event.state;
        // A cleanup of a job that already ended keeps its final state; only a running job becomes "cleaned".
        if (event.event !== 'job_cleaned' || job.state === 'running') this.endJob(job, state, at);
        return true;
      }
      case 'playbook_on_stats':
        this.node.stats = event.stats;
        this.node.rc = event.rc;
        this.node.state = event.rc === 0 ? 'ok' : 'failed';
        this.node.endedAt = at;
        return true;
      case 'warning':
      case 'error':
        this.node.warnings.push(event.message);
        if (event.event === 'error' && event.position) {
          this.failureList.push({ runId: this.node.runId, host: '', task: '', position: event.position, message: event.message, unreachable: false });
        }
        return true;
      default:
        return false;
    }
  }

  /** The process is gone: marks the run's final state (rc from the process when no recap arrived). */
  finish(outcome: { exitCode?: number | null; cancelled?: boolean; at?: number; error?: string }): void {
    const at = outcome.at ?? Date.now();
    this.node.live = false;
    this.node.endedAt ??= at;
    if (outcome.error) this.node.warnings.push(outcome.error);
    if (outcome.cancelled) this.node.state = 'cancelled';
    else if (this.node.state === 'running') {
      if (typeof outcome.exitCode === 'number') {
        this.node.rc = outcome.exitCode;
        this.node.state = outcome.exitCode === 0 ? 'ok' : 'error';
      } else this.node.state = 'interrupted';
    }
    // Hosts still shown as running had their work cut off with the process; jobs keep running remotely.
    for (const task of this.tasks.values()) {
      for (const host of task.hosts) {
        if (host.state === 'running' || host.state === 'retrying') {
          host.state = 'failed';
          host.message = this.node.state === 'cancelled' ? 'cancelled' : 'interrupted';
          host.endedAt = at;
          host.budgetDeadline = undefined;
        }
      }
    }
  }

  /** Attach streams bring jobs back to life after `finish`; the run is live again while they are followed. */
  reopen(): void {
    this.node.live = true;
  }

  private recordFailure(taskId: string, host: HostNode, result: TaskResult | undefined): void {
    const task = this.tasks.get(taskId);
    if (!task?.position) return;
    this.failureList.push({
      runId: this.node.runId,
      host: host.host,
      task: task.name,
      position: task.position,
      message: resultMessage(result) ?? (host.state === 'unreachable' ? 'unreachable' : 'failed'),
      unreachable: host.state === 'unreachable',
    });
  }

  private observeJobResult(job: JobNode, result: TaskResult | undefined, at: number): void {
    if (!result) return;
    if (truthy(result.finished) && job.state === 'running') {
      job.result = result;
      if (typeof result.rc === 'number') job.rc = result.rc;
      this.endJob(job, truthy(result.failed) ? (timedOut(result) ? 'timed_out' : 'failed') : 'finished', at);
    }
  }

  private endJob(job: JobNode, state: JobState, at: number): void {
    if (endedJobStates.has(job.state) && state === job.state) return;
    job.state = state;
    if (state !== 'running') {
      job.endedAt = at;
      job.elapsedSeconds = Math.max(job.elapsedSeconds, (at - job.startedAt) / 1000);
      job.elapsedAt = at;
      job.budgetDeadline = undefined;
    }
  }

  private play(playId: string, name: string | undefined, _at: number): PlayNode {
    let play = this.plays.get(playId);
    if (!play) {
      play = { kind: 'play', key: `play:${this.node.runId}:${playId}`, runId: this.node.runId, playId, name: name || playId, hosts: [], tasks: [] };
      this.plays.set(playId, play);
      this.node.plays.push(play);
    } else if (name) play.name = name;
    return play;
  }

  private task(taskId: string, name: string | undefined, at: number, playId?: string, playName?: string): TaskNode {
    let task = this.tasks.get(taskId);
    if (!task) {
      const play = this.play(playId ?? this.node.plays.at(-1)?.playId ?? 'play', playName, at);
      task = {
        kind: 'task',
        key: `task:${this.node.runId}:${taskId}`,
        runId: this.node.runId,
        taskId,
        playId: play.playId,
        name: name || taskId,
        action: '',
        handler: false,
        startedAt: at,
        hosts: [],
      };
      this.tasks.set(taskId, task);
      play.tasks.push(task);
    } else if (name) task.name = name;
    return task;
  }

  private host(taskId: string, taskName: string, hostName: string, at: number, starting = false): HostNode {
    const task = this.task(taskId, taskName, at);
    let host = task.hosts.find((h) => h.host === hostName);
    if (!host) {
      // First seen through a later event (no runner_on_start): the task's start is the better estimate.
      const startedAt = starting ? at : Math.min(at, task.startedAt);
      host = {
        kind: 'host',
        key: `host:${this.node.runId}:${taskId}:${hostName}`,
        runId: this.node.runId,
        taskId,
        host: hostName,
        state: 'running',
        startedAt,
        items: [],
        jobs: [],
        expectsJobs: !!task.async,
      };
      task.hosts.push(host);
      if (task.hosts.length === 1) this.node.tasksStarted = Math.max(this.node.tasksStarted, this.tasks.size);
    }
    return host;
  }

  private job(jid: string, hostName: string, taskId: string, taskName: string, at: number, background: boolean): JobNode {
    const mapKey = `${hostName}|${jid}`;
    let job = this.jobsByKey.get(mapKey) ?? this.jobsByJid.get(jid);
    if (!job) {
      const host = this.host(taskId, taskName, hostName, at);
      // A job first seen by a poll started with its host's task; job_started is its own start.
      const startedAt = background || at < host.startedAt ? at : host.startedAt;
      job = {
        kind: 'job',
        key: `job:${this.node.runId}:${hostName}:${jid}`,
        runId: this.node.runId,
        jid,
        host: hostName,
        taskId,
        state: 'running',
        asyncLimit: 0,
        startedAt,
        elapsedSeconds: 0,
        elapsedAt: at,
        polls: 0,
        joined: false,
        background,
      };
      host.jobs.push(job);
      this.jobsByKey.set(mapKey, job);
      if (jid) this.jobsByJid.set(jid, job);
    }
    return job;
  }
}

function hostStateOf(event: RunEvent['event'], changed: boolean, ignoreErrors?: boolean): HostState {
  switch (event) {
    case 'runner_on_failed':
    case 'runner_item_on_failed':
      return ignoreErrors ? 'ignored' : 'failed';
    case 'runner_on_skipped':
    case 'runner_item_on_skipped':
      return 'skipped';
    case 'runner_on_unreachable':
      return 'unreachable';
    default:
      return changed ? 'changed' : 'ok';
  }
}

function jidOf(result: TaskResult | undefined): string | undefined {
  const jid = result?.ansible_job_id ?? (result?.async_result as TaskResult | undefined)?.ansible_job_id;
  return typeof jid === 'string' ? jid : undefined;
}

function timedOut(result: TaskResult | undefined): boolean {
  const msg = typeof result?.msg === 'string' ? result.msg : '';
  return msg === 'Timeout exceeded' || msg.startsWith('async task did not complete within the requested time');
}

/** "site.yml:12" (ansible-runner's task_path) → position; the column is unknown, so 1. */
export function positionFromTaskPath(taskPath: string | undefined): SourcePosition | undefined {
  if (!taskPath) return undefined;
  const match = /^(.*):(\d+)$/.exec(taskPath);
  if (!match) return undefined;
  return { file: match[1], line: Number(match[2]), column: 1 };
}

/** Children of a node in tree order. */
export function childrenOf(node: TreeNode): TreeNode[] {
  switch (node.kind) {
    case 'run':
      return node.plays;
    case 'play':
      return node.tasks;
    case 'task':
      return node.hosts;
    case 'host':
      return node.jobs;
    case 'job':
      return [];
  }
}

/** Finds a node of a run by its key (tree item id), depth first. */
export function findNode(run: RunNode, key: string): TreeNode | undefined {
  if (run.key === key) return run;
  const stack: TreeNode[] = [...run.plays];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.key === key) return node;
    stack.push(...childrenOf(node));
  }
  return undefined;
}
