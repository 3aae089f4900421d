/**
 * Where a task runs: its play, the blocks/imports/roles around it (for keyword inheritance and block vars),
 * and whether a failure here is handled by an enclosing rescue.
 */
import type { Entry, Play, Task } from '../playbook/model';
import type { HostState } from './host-state';

export interface RoleRun {
  name: string;
  dir: string;
  defaults: Record<string, unknown>;
  vars: Record<string, unknown>;
  params: Record<string, unknown>;
}

export interface PlayRun {
  play: Play;
  name: string;
  playId: string;
  /** play `vars:` (raw, rendered lazily) */
  vars: Record<string, unknown>;
  varsFilesVars: Record<string, unknown>;
  /** every host the play targets (ansible_play_hosts_all) */
  allHosts: HostState[];
  /** the current serial batch */
  batch: HostState[];
  handlers: { task: Task; frame: TaskFrame }[];
  forks: number;
  /** any_errors_fatal tripped or max_fail_percentage exceeded: stop the play */
  aborted: boolean;
}

export interface TaskFrame {
  run: PlayRun;
  /** enclosing blocks, include/import tasks and role entries, outermost first */
  parents: Task[];
  role?: RoleRun;
  /** a failure is caught by an enclosing block's rescue */
  rescuable: boolean;
  handler: boolean;
  /** vars passed to include_tasks/include_role (`vars:` on the include) */
  includeVars?: Record<string, unknown>;
}

/**
 * Task keywords ansible-core declares NonInheritableFieldAttribute (playbook/task.py): set on a block, role or
 * import they do not reach the tasks inside (`async` on import_tasks is silently ignored, truth case 14).
 */
const NON_INHERITABLE = new Set(['args', 'action', 'async', 'changed_when', 'delay', 'failed_when', 'loop', 'loop_control', 'poll', 'register', 'retries', 'until']);

/** the nearest value of a keyword: the task, then enclosing blocks/includes/roles, then (optionally) the play */
export function keyword(task: Task, frame: TaskFrame, name: string, includePlay = true): Entry | undefined {
  if (task.keywords[name]) return task.keywords[name];
  if (NON_INHERITABLE.has(name)) return undefined;
  for (let i = frame.parents.length - 1; i >= 0; i--) {
    const entry = frame.parents[i].keywords[name];
    if (entry) return entry;
  }
  if (includePlay) return frame.run.play.keywords[name];
  return undefined;
}

/** every `when` from the outermost enclosing block down to the task (all must hold) */
export function inheritedWhens(task: Task, frame: TaskFrame): unknown[] {
  const out: unknown[] = [];
  for (const parent of frame.parents) if (parent.keywords.when) out.push(...asList(parent.keywords.when.value));
  if (task.keywords.when) out.push(...asList(task.keywords.when.value));
  return out;
}

/** block and task `vars:` from outermost to innermost */
export function inheritedVars(task: Task, frame: TaskFrame): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const parent of frame.parents) Object.assign(out, mapping(parent.keywords.vars?.value));
  Object.assign(out, mapping(task.keywords.vars?.value));
  return out;
}

/** tags of the task and everything around it (play tags included) */
export function inheritedTags(task: Task, frame: TaskFrame): string[] {
  const tags = new Set<string>();
  const add = (entry: Entry | undefined) => {
    for (const t of asList(entry?.value)) if (t !== null && t !== undefined) for (const part of String(t).split(',')) if (part.trim()) tags.add(part.trim());
  };
  add(frame.run.play.keywords.tags);
  for (const parent of frame.parents) add(parent.keywords.tags);
  add(task.keywords.tags);
  return [...tags];
}

export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function mapping(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
