/** async with check_mode before 2.17: "check mode and async cannot be used on same task." (allowed from 2.17). */
import { coreAtLeast } from '../../../runtime/playbook/core-version';
import type { Rule } from '../types';
import { asyncState } from '../facts';
import { inheritedKeyword, isActionTask } from '../walk';
import { entrySpan, findingAt } from './util';

export const asyncCheckMode: Rule = {
  code: 'async-check-mode',
  severity: 'error',
  description: 'async together with check_mode before ansible-core 2.17',
  check({ facts, settings }) {
    if (coreAtLeast(settings.coreVersion, '2.17')) return [];
    const out = [];
    for (const { task, play } of facts.tasks) {
      if (!isActionTask(task) || asyncState(task, settings.coreVersion, play).kind !== 'async') continue;
      const cm = inheritedKeyword(task, play, 'check_mode');
      if (!cm || cm.value !== true) continue;
      const own = task.keywords.check_mode === cm;
      out.push(findingAt(this, task, entrySpan(task.keywords.async!),
        `check mode and async cannot be used on same task. (ansible-core ${settings.coreVersion}; allowed from 2.17): check_mode: true ${own ? 'is set on this task' : 'is inherited from an enclosing block or the play'}, so the task fails.`));
    }
    return out;
  },
};
