/**
 * poll > async: the controller's budget is ceil(async/poll) status checks, so the only check comes after
 * `poll` seconds, well after the async limit (the job is killed at about 5·(1+ceil(async/5)) s), and a job
 * that finishes early is still waited for a whole poll interval.
 */
import type { Rule } from '../types';
import { num } from '../values';
import { isActionTask } from '../walk';
import { asyncState, keywordNumber } from '../facts';
import { entrySpan, findingAt } from './util';

export const pollExceedsAsync: Rule = {
  code: 'poll-exceeds-async',
  severity: 'warning',
  description: 'poll interval longer than the async limit',
  check({ facts, settings }) {
    const out = [];
    for (const { task, play } of facts.tasks) {
      if (!isActionTask(task) || asyncState(task, settings.coreVersion, play).kind !== 'async') continue;
      const a = keywordNumber(task, play, 'async');
      const p = keywordNumber(task, play, 'poll');
      if (a.kind !== 'number' || p.kind !== 'number' || a.value <= 0 || p.value <= 0) continue;
      if (p.value <= a.value) continue;
      const kill = 5 * (1 + Math.ceil(a.value / 5));
      const span = entrySpan(task.keywords.poll!);
      const fix = { title: `Set poll to ${Math.min(a.value, 15)}`, edits: [{ span: task.keywords.poll!.valueSpan, newText: String(Math.min(a.value, 15)) }] };
      out.push(findingAt(this, task, span,
        `poll ${num(p.value)} s is longer than async ${num(a.value)} s: the controller makes ceil(${num(a.value)}/${num(p.value)}) = 1 status check, after ${num(p.value)} s; the job is killed at about ${num(kill)} s, and even a job that ends at once is waited for ${num(p.value)} s.`,
        [fix]));
    }
    return out;
  },
};
