/**
 * An async_status join whose retries × delay is shorter than the async limit of the job it joins (the old
 * docs example: async 1000 joined with 30 retries × 5 s = 150 s): the join gives up while the job may still
 * run, the task fails, and the job keeps running unobserved.
 */
import type { Rule } from '../types';
import { launchFor } from '../facts';
import { joinWait } from '../join';
import { num } from '../values';
import { entrySpan, findingAt, taskSpan } from './util';
import { insertAfter } from '../edits';

export const asyncJoinTooShort: Rule = {
  code: 'async-join-too-short',
  severity: 'warning',
  description: 'async_status join waits less than the async limit of its job',
  check({ facts, settings }) {
    const out = [];
    for (const jr of facts.jobRefs) {
      const task = jr.ref.task;
      if (jr.mode !== 'status' || !task.keywords.until) continue;
      const launch = launchFor(facts, jr.register, jr.ref);
      if (!launch?.asyncSeconds) continue;
      const wait = joinWait(task, settings.coreVersion, jr.ref.play);
      if (!wait || wait.seconds >= launch.asyncSeconds) continue;
      const limit = launch.asyncSeconds;
      const delay = wait.delay;
      const fixes = [];
      if (delay > 0) {
        const needed = Math.ceil(limit / delay);
        const retries = task.keywords.retries;
        const edit = retries
          ? { span: retries.valueSpan, newText: String(needed) }
          : insertAfter(task.file, task.keywords.until, `retries: ${needed}`);
        fixes.push({ title: `Set retries to ${needed} (ceil(${num(limit)} / ${num(delay)}))`, edits: [edit], preferred: true });
      }
      const span = task.keywords.retries ? entrySpan(task.keywords.retries) : task.keywords.delay ? entrySpan(task.keywords.delay) : taskSpan(task);
      const retriesText = task.keywords.retries ? `${num(wait.retries)} retries` : `the default ${num(wait.retries)} retries`;
      out.push(findingAt(this, task, span,
        `This join waits at most ${num(wait.seconds)} s (${retriesText} × ${num(delay)} s) but the job '${jr.register}' may run ${num(limit)} s (async: ${num(limit)}${launch.ref.task.name ? ` on '${launch.ref.task.name}'` : ''}): the task fails while the job may still be running. Use retries ≥ ${delay > 0 ? num(Math.ceil(limit / delay)) : 'async / delay'}.`,
        fixes));
    }
    return out;
  },
};
