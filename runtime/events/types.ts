/**
 * The event stream every engine emits and every consumer (CLI printer, journal, VS Code tree) reads.
 * Names follow ansible-runner's vocabulary so users and tools recognise them; the `job_*` events are ours,
 * for what Ansible does not report (a poll: 0 launch, each observed status change, a join, a lost job).
 *
 * Wire format: one JSON object per line (JSON Lines). Every event carries `seq` (1-based, per run),
 * `time` (ISO 8601) and `run` (the run id). Unknown fields must be ignored by readers.
 */

/** file:line:col of a task, play or handler in the user's YAML (1-based). */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** A result dict in Ansible's shape (what `register` stores). `no_log` results are already censored. */
export type TaskResult = Record<string, unknown>;

interface EventBase {
  seq: number;
  time: string;
  run: string;
}

export interface PlaybookStartEvent extends EventBase {
  event: 'playbook_on_start';
  playbook: string;
  inventory?: string[];
  engine: 'bundled' | 'ansible';
  coreVersion: string;
  pid: number;
  /** tasks the run starts at most (gathering facts, action tasks, handlers), when the engine knows it */
  taskCount?: number;
  /** ansible engine: the ansible-playbook that runs and the ansible-core version it reported ('' when unknown) */
  ansiblePlaybook?: { path: string; version: string };
}

export interface PlayStartEvent extends EventBase {
  event: 'playbook_on_play_start';
  play: string;
  playId: string;
  hosts: string[];
  position?: SourcePosition;
}

export interface TaskStartEvent extends EventBase {
  event: 'playbook_on_task_start' | 'playbook_on_handler_task_start';
  play: string;
  playId: string;
  task: string;
  taskId: string;
  action: string;
  /** "file:line" as ansible-runner's task_path */
  task_path?: string;
  position?: SourcePosition;
  /** async limit in seconds when the task is async (0 or absent otherwise) */
  async?: number;
  poll?: number;
  retries?: number;
  delay?: number;
  hasUntil?: boolean;
  /** worst-case wait budget of this task in seconds, when known */
  budgetSeconds?: number | null;
}

interface HostEventBase extends EventBase {
  taskId: string;
  task: string;
  host: string;
  /** "h1 -> localhost" style when delegated */
  delegatedTo?: string;
}

export interface RunnerStartEvent extends HostEventBase {
  event: 'runner_on_start';
}

export interface RunnerResultEvent extends HostEventBase {
  event:
    | 'runner_on_ok'
    | 'runner_on_failed'
    | 'runner_on_skipped'
    | 'runner_on_unreachable'
    | 'runner_item_on_ok'
    | 'runner_item_on_failed'
    | 'runner_item_on_skipped';
  result: TaskResult;
  changed?: boolean;
  ignoreErrors?: boolean;
  /** loop item label for runner_item_* */
  item?: unknown;
  /** the aggregated result of a loop (its items were reported one by one) */
  loop?: boolean;
  durationMs?: number;
}

export interface RunnerRetryEvent extends HostEventBase {
  event: 'runner_retry';
  /** attempt that just failed its until check (1-based) */
  attempts: number;
  /** total executions allowed = retries + 1 (Ansible reports it as `retries`) */
  retries: number;
  /** seconds until the next attempt */
  delay: number;
  /** seconds left of this task's wait budget */
  budgetLeft?: number;
  result: TaskResult;
}

export interface AsyncPollEvent extends HostEventBase {
  event: 'runner_on_async_poll';
  jid: string;
  started: number | boolean;
  finished: number | boolean;
  /** 1-based poll number and the maximum ceil(async/poll) */
  poll?: number;
  polls?: number;
  result?: TaskResult;
}

export interface AsyncDoneEvent extends HostEventBase {
  event: 'runner_on_async_ok' | 'runner_on_async_failed';
  jid: string;
  result: TaskResult;
}

export type JobState = 'running' | 'finished' | 'failed' | 'timed_out' | 'lost' | 'cleaned';

export interface JobStartedEvent extends HostEventBase {
  event: 'job_started';
  jid: string;
  /** async limit in seconds */
  async: number;
  poll: number;
  /** ISO time after which the remote watchdog kills the job */
  deadline: string;
  resultsFile: string;
  /** register name that holds the jid, so a later async_status can be matched */
  register?: string;
  /** host whose async dir holds the status file (differs from host when delegated) */
  statusHost?: string;
  /** async dir as configured (`~` is the remote $HOME), so `jobs attach` can read the status file again */
  asyncDir?: string;
  /** how to reach statusHost again after a controller restart (never secrets) */
  target?: { address: string; port: number; user: string; privateKeyPath?: string; knownHostsPath?: string };
  /** true when the job runs on the controller itself (delegate_to: localhost / connection: local) */
  local?: boolean;
  coreVersion?: string;
  /** the job runs as this user (become); its status file is in their async dir */
  becomeUser?: string;
}

export interface JobStatusEvent extends HostEventBase {
  event: 'job_status';
  jid: string;
  state: JobState;
  elapsedSeconds: number;
  polls: number;
  finished: boolean;
  rc?: number;
  /** why the state is what it is (e.g. a connection error being retried) */
  reason?: string;
}

export interface JobEndEvent extends HostEventBase {
  event: 'job_joined' | 'job_timeout' | 'job_lost' | 'job_cleaned';
  jid: string;
  state: JobState;
  reason?: string;
  result?: TaskResult;
}

export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export interface StatsEvent extends EventBase {
  event: 'playbook_on_stats';
  stats: Record<string, HostStats>;
  rc: number;
}

/** A dynamic include_tasks file was loaded for some hosts (`included: FILE for h1, h2`). */
export interface IncludedEvent extends EventBase {
  event: 'playbook_on_include';
  file: string;
  hosts: string[];
}

/** Something the engine wants the user to see that is not a host result (deprecations, warnings). */
export interface WarningEvent extends EventBase {
  event: 'warning' | 'error';
  message: string;
  position?: SourcePosition;
}

/** A line ansible-playbook would display outside any host result (pause's "Pausing for 2 seconds", prompts). */
export interface DisplayEvent extends EventBase {
  event: 'display';
  message: string;
}

/** A changed result's `diff` under --diff / `diff: true` (printed before the result, as ansible-playbook does). */
export interface FileDiffEvent extends EventBase {
  event: 'runner_on_file_diff';
  taskId: string;
  task: string;
  host: string;
  diff: unknown;
}

export type RunEvent =
  | DisplayEvent
  | FileDiffEvent
  | PlaybookStartEvent
  | PlayStartEvent
  | TaskStartEvent
  | RunnerStartEvent
  | RunnerResultEvent
  | RunnerRetryEvent
  | AsyncPollEvent
  | AsyncDoneEvent
  | JobStartedEvent
  | JobStatusEvent
  | JobEndEvent
  | StatsEvent
  | IncludedEvent
  | WarningEvent;

export type RunEventName = RunEvent['event'];

/** An event before the emitter stamps seq/time/run. */
export type RunEventInput = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'seq' | 'time' | 'run'> : never) : never;
