/**
 * A play's worst case per host: the sum of its task budgets in execution order (blocks counted whole:
 * block + rescue + always; handlers counted as if notified), or "unbounded", naming the tasks that make it so.
 */
import type { Play, Task } from '../playbook/model';
import { isActionTask, walkPlay } from '../playbook/walk';
import { formatSeconds } from './format';
import { loopCount } from './loops';
import { taskBudget, type BudgetContext, type TaskBudget } from './task-budget';
import { varLayers } from './values';

export interface PlayBudget {
  /** worst-case seconds per host; null when unbounded or unknown */
  seconds: number | null;
  unbounded: boolean;
  /** tasks without a time limit */
  unboundedTasks: Task[];
  /** tasks whose bound depends on run-time values */
  unknownTasks: Task[];
  dependsOn: string[];
  /** sum of the known bounds (a lower bound of the worst case when something is unknown/unbounded) */
  knownSeconds: number;
  text: string;
  formula: string;
  /** each action task with its budget and how often it runs (loops of enclosing include_tasks; null unknown) */
  parts: { task: Task; budget: TaskBudget; times: number | null }[];
}

/**
 * How often a task runs because an enclosing include_tasks/include_role loops (static imports cannot loop):
 * the product of those loops' item counts; null when one is only known at run time.
 */
function includeRepeats(ctx: BudgetContext, ordered: readonly Task[]): (task: Task) => { count: number | null; dependsOn: string[] } {
  const cache = new Map<Task, { count: number | null; dependsOn: string[] }>();
  const layersOf = (t: Task) => varLayers(t, ctx.play, ctx.vars);
  const of = (parent: Task) => {
    let r = cache.get(parent);
    if (!r) {
      const loop = loopCount(parent, layersOf, ordered);
      r = { count: loop.count, dependsOn: loop.dependsOn };
      cache.set(parent, r);
    }
    return r;
  };
  return (task) => {
    let count: number | null = 1;
    const names: string[] = [];
    for (const parent of task.parents ?? []) {
      if (parent.kind !== 'include_tasks' && parent.kind !== 'include_role') continue;
      const r = of(parent);
      names.push(...r.dependsOn);
      count = count === null || r.count === null ? null : count * r.count;
    }
    return { count, dependsOn: names };
  };
}

function taskLabel(task: Task): string {
  return task.name ?? `${task.action ?? task.kind}`;
}

function listNames(tasks: Task[], max = 3): string {
  const names = tasks.slice(0, max).map((t) => `"${taskLabel(t)}"`);
  return tasks.length > max ? `${names.join(', ')} and ${tasks.length - max} more` : names.join(', ');
}

export function playBudget(play: Play, context: Omit<BudgetContext, 'play'> = {}): PlayBudget {
  const ordered = [...walkPlay(play)];
  const ctx: BudgetContext = { ...context, play, ordered };
  const parts: PlayBudget['parts'] = [];
  const unboundedTasks: Task[] = [];
  const unknownTasks: Task[] = [];
  const dependsOn = new Set<string>();
  let knownSeconds = 0;
  const repeats = includeRepeats(ctx, ordered);
  for (const task of ordered) {
    if (!isActionTask(task)) continue;
    const budget = taskBudget(task, ctx);
    const times = repeats(task);
    parts.push({ task, budget, times: times.count });
    if (budget.unbounded) unboundedTasks.push(task);
    else if (budget.seconds === null || (times.count === null && budget.seconds !== 0)) {
      unknownTasks.push(task);
      [...budget.dependsOn, ...times.dependsOn].forEach((n) => dependsOn.add(n));
    } else knownSeconds += budget.seconds * (times.count ?? 0);
  }
  const unbounded = unboundedTasks.length > 0;
  const seconds = unbounded || unknownTasks.length ? null : knownSeconds;
  let text: string;
  if (unbounded) text = `⏱ play worst case per host: unbounded (${listNames(unboundedTasks)} ${unboundedTasks.length === 1 ? 'has' : 'have'} no time limit)`;
  else if (seconds === null) text = `⏱ play worst case per host: ≥ ${formatSeconds(knownSeconds)}; depends on ${[...dependsOn].map((n) => `{{ ${n} }}`).join(', ') || 'run-time values'} (${listNames(unknownTasks)})`;
  else text = `⏱ play worst case per host: ≤ ${formatSeconds(seconds)}`;
  const formula = parts
    .filter((p) => p.budget.seconds !== 0 || p.budget.unbounded)
    .map((p) => `${taskLabel(p.task)}: ${p.budget.unbounded ? 'unbounded' : p.budget.seconds === null ? 'unknown' : formatSeconds(p.budget.seconds)}${p.times !== 1 ? ` × ${p.times ?? '?'} (include loop)` : ''}`)
    .join(' + ');
  return { seconds, unbounded, unboundedTasks, unknownTasks, dependsOn: [...dependsOn], knownSeconds, text, formula: formula || 'no task waits', parts };
}
