/**
 * Every task of a playbook in execution order, with the play it belongs to: plays (following
 * import_playbook), then per play pre_tasks, roles, tasks, post_tasks, handlers; blocks and static
 * imports are entered. Rules iterate this list instead of walking the tree themselves.
 */
import type { Play, Playbook, Task } from '../../runtime/playbook/model';
import { walkPlay, walkTasks } from '../../runtime/playbook/walk';

export interface TaskRef {
  task: Task;
  play?: Play;
  /** index of the top-level play entry in the analysed file (for "Run playbook" lenses and symbols); -1 in a task file */
  playIndex: number;
  /** position in execution order across the whole playbook */
  order: number;
}

/** plays in order with the index of the top-level entry they come from (import_playbook entries expand) */
export function playsOf(playbook: Playbook): { play: Play; index: number }[] {
  const out: { play: Play; index: number }[] = [];
  const visit = (plays: Play[], topIndex: number | undefined, depth: number) => {
    plays.forEach((play, i) => {
      const index = topIndex ?? i;
      if (play.importPlaybook) {
        if (depth < 32) visit(play.importPlaybook.plays, index, depth + 1);
        return;
      }
      out.push({ play, index });
    });
  };
  visit(playbook.plays, undefined, 0);
  return out;
}

/** every task in execution order; `looseTasks` are the tasks of a task file analysed on its own */
export function allTasks(playbook: Playbook, looseTasks: readonly Task[] = []): TaskRef[] {
  const refs: TaskRef[] = [];
  for (const { play, index } of playsOf(playbook)) {
    for (const task of walkPlay(play)) refs.push({ task, play, playIndex: index, order: refs.length });
  }
  for (const task of walkTasks(looseTasks)) refs.push({ task, playIndex: -1, order: refs.length });
  return refs;
}

/** true when the task runs per item (loop:, with_*:) */
export function isLooped(task: Task): boolean {
  return Object.keys(task.keywords).some((k) => k === 'loop' || k.startsWith('with_'));
}

/** a keyword on the task or inherited from an enclosing block (innermost wins), then the play */
export function inheritedKeyword(task: Task, play: Play | undefined, key: string) {
  if (task.keywords[key]) return task.keywords[key];
  const parents = task.parents ?? [];
  for (let i = parents.length - 1; i >= 0; i--) if (parents[i].keywords[key]) return parents[i].keywords[key];
  return play?.keywords[key];
}

/** a task is an action that does work (not a block or an include/import statement) */
export function isActionTask(task: Task): boolean {
  return task.kind === 'task' || task.kind === 'handler';
}
