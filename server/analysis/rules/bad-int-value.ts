/** async/poll/retries/delay/timeout that int() cannot convert: the task fails at run time with Ansible's message. */
import { coerceFloat, coerceInt } from '../../../runtime/waits/int';
import type { Rule } from '../types';
import { isActionTask } from '../walk';
import { entrySpan, findingAt } from './util';
import { isFloatField, NUMERIC_KEYWORDS } from './numeric-keywords';

export const badIntValue: Rule = {
  code: 'bad-int-value',
  severity: 'error',
  description: 'a numeric keyword whose value cannot be converted to a number',
  check({ facts, settings }) {
    const out = [];
    for (const { task } of facts.tasks) {
      if (!isActionTask(task)) continue;
      for (const key of NUMERIC_KEYWORDS) {
        const entry = task.keywords[key];
        if (!entry || entry.templated || entry.value === null || entry.value === undefined) continue;
        const result = isFloatField(key, settings.coreVersion) ? coerceFloat(entry.value, key) : coerceInt(entry.value, key);
        if (result.ok) continue;
        out.push(findingAt(this, task, entrySpan(entry),
          `${result.error} — the task fails when it runs (ansible-playbook --syntax-check does not notice).`));
      }
    }
    return out;
  },
};
