/**
 * The contract between the executor and a module implementation. Modules run as POSIX shell on the target
 * (no Python there) or on the controller (debug, set_fact, ...). A module that can describe its whole work as
 * one remote script (printing its result JSON on stdout) can also run as an async job: runtime/async wraps
 * that script in the detached job wrapper.
 */
import type { Connection } from '../connection/types';
import type { RunEventInput, TaskResult } from '../events/types';
import type { Task } from '../playbook/model';

export interface ModuleContext {
  /** the connection that performs the work (the delegate's when delegate_to is set) */
  connection: Connection;
  /** inventory hostname the task runs for */
  host: string;
  /** module arguments after templating */
  args: Record<string, unknown>;
  task: Task;
  /** the run's id for this task (its playbook_on_task_start taskId), so job events land on the same task */
  taskId?: string;
  /** the delegate's ansible_async_dir when the task is delegated to a host that sets one (async_status reads there) */
  asyncDir?: string;
  /** all variables visible to the task (already merged by precedence) */
  vars: Record<string, unknown>;
  /** task `environment:` after templating */
  environment: Record<string, string>;
  checkMode: boolean;
  diffMode: boolean;
  /** ansible-core line whose behaviour to follow, e.g. "2.14", "2.19" */
  coreVersion: string;
  /** directory of the playbook / role for relative `src:` paths */
  baseDir: string;
  /** the role's directory when the task belongs to a role (include_vars `dir:` resolves under its vars/) */
  roleDir?: string;
  emit(event: RunEventInput): void;
  signal: AbortSignal;
  /**
   * The run's instant-joins setting: when false, waitBeforeRetry sleeps exactly `seconds` (timing emulation).
   * Absent means on.
   */
  instantJoins?: boolean;
  /** renders a value against the task's variables (debug `var:`, assert `that:`, template files) */
  render?(value: unknown): unknown;
  /** evaluates a conditional against the task's variables (assert), throwing Ansible's error text */
  conditional?(condition: unknown): boolean;
  /** a controller-side file relative to the role/playbook (copy src, template src, script) */
  findFile?(name: string, kind: 'files' | 'templates' | 'vars'): string | undefined;
  /** one line typed on the controller's terminal (pause prompts); absent without a terminal */
  readInput?: (echo: boolean) => Promise<string>;
  /** -v count of the run (debug `verbosity:`) */
  verbosity?: number;
}

export interface ModuleImplementation {
  /** canonical short name, e.g. "command" */
  name: string;
  /** FQCNs and legacy names that resolve to this module */
  aliases?: string[];
  /** runs the module once and returns its result in Ansible's shape */
  run(context: ModuleContext): Promise<TaskResult>;
  /**
   * A POSIX sh script that performs the module on the target and prints exactly one JSON object (the result)
   * on stdout. Present when the module may run as an async job; undefined for a task only `run` can do
   * faithfully (it then runs synchronously with a warning).
   */
  remoteScript?(context: ModuleContext): string | undefined;
  /**
   * Called between until-retries instead of a plain sleep, so a module (async_status) can wake early when
   * what it watches changes. Must resolve after at most `seconds`; results and attempt counting stay the same.
   */
  waitBeforeRetry?(context: ModuleContext, seconds: number): Promise<void>;
}
