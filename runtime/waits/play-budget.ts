/**
 * A play's worst case per host: the sum of its task budgets in execution order (blocks counted whole:
 * block + rescue + always; handlers counted as if notified), or "unbounded", naming the tasks that make it so.
 */
import type { Play, Task } from '../playbook/model';
import { isActionTask, walkPlay } from '../playbook/walk';
import { formatSeconds } from './format';
import { taskBudget, type BudgetContext, type TaskBudget } from './task-budget';

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
  parts: { task: Task; budget: TaskBudget }[];
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
  for (const task of ordered) {
    if (!isActionTask(task)) continue;
    const budget = taskBudget(task, ctx);
    parts.push({ task, budget });
    if (budget.unbounded) unboundedTasks.push(task);
    else if (budget.seconds === null) {
      unknownTasks.push(task);
      budget.dependsOn.forEach((n) => dependsOn.add(n));
    } else knownSeconds += budget.seconds;
  }
  const unbounded = unboundedTasks.length > 0;
  const seconds = unbounded || unknownTasks.length ? null : knownSeconds;
  let text: string;
  if (unbounded) text = `⏱ play worst case per host: unbounded (${listNames(unboundedTasks)} ${unboundedTasks.length === 1 ? 'has' : 'have'} no time limit)`;
  else if (seconds === null) text = `⏱ play worst case per host: ≥ ${formatSeconds(knownSeconds)}; depends on ${[...dependsOn].map((n) => `{{ ${n} }}`).join(', ') || 'run-time values'} (${listNames(unknownTasks)})`;
  else text = `⏱ play worst case per host: ≤ ${formatSeconds(seconds)}`;
  const formula = parts
    .filter((p) => p.budget.seconds !== 0 || p.budget.unbounded)
    .map((p) => `${taskLabel(p.task)}: ${p.budget.unbounded ? 'unbounded' : p.budget.seconds === null ? 'unknown' : formatSeconds(p.budget.seconds)}`)
    .join(' + ');
  return { seconds, unbounded, unboundedTasks, unknownTasks, dependsOn: [...dependsOn], knownSeconds, text, formula: formula || 'no task waits', parts };
}
