/**
 * retries/delay without until: before 2.16 they are ignored (one execution, no warning); from 2.16 the task
 * is retried until it does not fail, at most retries + 1 executions. delay alone never does anything.
 */
import { coreAtLeast } from '../../../runtime/playbook/core-version';
import type { Rule, TextEdit } from '../types';
import { deleteEntry } from '../edits';
import { intValue, num } from '../values';
import { isActionTask } from '../walk';
import { entrySpan, findingAt } from './util';

export const retriesWithoutUntil: Rule = {
  code: 'retries-without-until',
  severity: 'warning',
  description: 'retries/delay without until (ignored before 2.16, retry-until-success from 2.16)',
  check({ facts, settings }) {
    const out = [];
    const v216 = coreAtLeast(settings.coreVersion, '2.16');
    for (const { task } of facts.tasks) {
      if (!isActionTask(task) || task.keywords.until) continue;
      const retries = task.keywords.retries;
      const delay = task.keywords.delay;
      if (!retries && !delay) continue;
      if (retries) {
        const r = intValue(retries);
        if (v216) {
          const n = r.kind === 'number' ? num(1 + Math.max(0, r.value)) : 'retries + 1';
          out.push(findingAt(this, task, entrySpan(retries),
            `Without until, ansible-core ${settings.coreVersion} retries this task until it does not fail: at most ${n} executions${delay ? '' : ' with the default delay of 5 s'}. Before 2.16 retries without until is ignored (1 execution).`,
            undefined, 'information'));
        } else {
          const edits = [retries, delay].map((e) => (e ? deleteEntry(task.file, e) : undefined)).filter((e): e is TextEdit => e !== undefined);
          out.push(findingAt(this, task, entrySpan(retries),
            `retries: ${String(retries.value)} is ignored without until in ansible-core ${settings.coreVersion}: the task runs once, no retry, no warning (2.16+ would retry until it does not fail). Add until: <condition>.`,
            edits.length ? [{ title: delay ? 'Remove retries and delay' : 'Remove retries', edits }] : undefined));
        }
      } else if (delay) {
        const edit = deleteEntry(task.file, delay);
        out.push(findingAt(this, task, entrySpan(delay),
          `delay: ${String(delay.value)} has no effect without until${v216 ? ' or retries' : ''}: the task runs once.`,
          edit ? [{ title: 'Remove delay', edits: [edit] }] : undefined));
      }
    }
    return out;
  },
};
