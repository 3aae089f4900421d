/** A float where Ansible converts with int(): silently truncated (delay 1.9 → 1 s before 2.17.5, async 2.7 → 2). */
import type { Rule } from '../types';
import { num } from '../values';
import { isActionTask } from '../walk';
import { entrySpan, findingAt } from './util';
import { isFloatField, NUMERIC_KEYWORDS } from './numeric-keywords';

export const floatValue: Rule = {
  code: 'float-value',
  severity: 'warning',
  description: 'a float value that Ansible truncates to an integer',
  check({ facts, settings }) {
    const out = [];
    for (const { task } of facts.tasks) {
      if (!isActionTask(task)) continue;
      for (const key of NUMERIC_KEYWORDS) {
        const entry = task.keywords[key];
        if (!entry || typeof entry.value !== 'number' || Number.isInteger(entry.value) || !Number.isFinite(entry.value)) continue;
        if (isFloatField(key, settings.coreVersion)) continue;
        const t = Math.trunc(entry.value);
        const note = key === 'delay' ? ' (from 2.17.5 delay keeps fractions)' : '';
        out.push(findingAt(this, task, entrySpan(entry),
          `${key}: ${String(entry.value)} is truncated by int() to ${num(t)} in ansible-core ${settings.coreVersion}${note}${key === 'async' && t === 0 ? ': async 0 means the task runs synchronously' : ''}.`,
          [{ title: `Write ${key}: ${t}`, edits: [{ span: entry.valueSpan, newText: String(t) }] }]));
      }
    }
    return out;
  },
};
