/** Walking the model in execution order, through blocks, imports and roles. */
import type { Play, Playbook, Task } from './model';

export interface WalkOptions {
  /** also visit handlers (after post_tasks, play handlers then role handlers); default true */
  handlers?: boolean;
  /** descend into tasks pulled in by imports/includes/roles; default true */
  imported?: boolean;
}

/** every task of a list, depth-first in execution order: a block, then its block/rescue/always children */
export function* walkTasks(tasks: readonly Task[], options: WalkOptions = {}): Generator<Task> {
  for (const task of tasks) {
    yield task;
    if (task.block) yield* walkTasks(task.block, options);
    if (task.rescue) yield* walkTasks(task.rescue, options);
    if (task.always) yield* walkTasks(task.always, options);
    if (task.imported && options.imported !== false) yield* walkTasks(task.imported, options);
  }
}

/** the task lists of a play in the order Ansible runs them */
export function playSections(play: Play): { name: 'pre_tasks' | 'roles' | 'tasks' | 'post_tasks' | 'handlers'; tasks: Task[] }[] {
  return [
    { name: 'pre_tasks', tasks: play.preTasks },
    { name: 'roles', tasks: play.roles },
    { name: 'tasks', tasks: play.tasks },
    { name: 'post_tasks', tasks: play.postTasks },
    { name: 'handlers', tasks: play.handlers },
  ];
}

export function* walkPlay(play: Play, options: WalkOptions = {}): Generator<Task> {
  for (const section of playSections(play)) {
    if (section.name === 'handlers' && options.handlers === false) continue;
    yield* walkTasks(section.tasks, options);
  }
  if (options.handlers !== false && options.imported !== false) {
    // a role used twice (roles: and import_role) has one set of handlers
    const seen = new Set<string>();
    for (const role of walkTasks([...play.preTasks, ...play.roles, ...play.tasks, ...play.postTasks], options)) {
      if (!role.handlers?.length || seen.has(role.handlers[0].file.path)) continue;
      seen.add(role.handlers[0].file.path);
      yield* walkTasks(role.handlers, options);
    }
  }
}

/** plays including the ones of import_playbook entries, in order */
export function* walkPlays(playbook: Playbook | { plays: Play[] }): Generator<Play> {
  for (const play of playbook.plays) {
    if (play.importPlaybook) yield* walkPlays({ plays: play.importPlaybook.plays });
    else yield play;
  }
}

/** true when the task is a plain action (not a block, include, import or role) */
export function isActionTask(task: Task): boolean {
  return task.kind === 'task' || task.kind === 'handler' || task.kind === 'meta';
}
