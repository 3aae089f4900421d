/** Negative values and what Ansible does with them (SEMANTICS.md §2, §5). */
import type { Rule } from '../types';
import { intValue } from '../values';
import { isActionTask } from '../walk';
import { entrySpan, findingAt } from './util';

const CONSEQUENCE: Record<string, (v: number) => string> = {
  async: (v) => `async: ${v} still wraps the task as a background job but it is never polled (like poll: 0) and its time limit is meaningless. Use a positive limit.`,
  poll: (v) => `poll: ${v} behaves like poll: 0: the job is launched and not waited for (fire and forget).`,
  retries: (v) => `retries: ${v} means a single execution: until is evaluated once and the task does not fail even when until is false.`,
  delay: (v) => `delay: ${v} is replaced by 1 s between retries.`,
  timeout: (v) => `timeout: ${v} disables the task timeout.`,
};

export const negativeValue: Rule = {
  code: 'negative-value',
  severity: 'warning',
  description: 'a negative async/poll/retries/delay/timeout and its run-time consequence',
  check({ facts }) {
    const out = [];
    for (const { task } of facts.tasks) {
      if (!isActionTask(task)) continue;
      for (const key of Object.keys(CONSEQUENCE)) {
        const entry = task.keywords[key];
        const v = intValue(entry);
        if (v.kind !== 'number' || v.value >= 0 || !entry) continue;
        out.push(findingAt(this, task, entrySpan(entry), CONSEQUENCE[key](v.value)));
      }
    }
    return out;
  },
};
