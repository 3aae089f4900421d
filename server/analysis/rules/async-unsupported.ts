/**
 * `async` on an action whose action plugin does not support it (debug, set_fact, copy, template, ...): the task
 * fails with "async is not supported for this task." (2.17+: "This action (x) does not support async.")
 * before anything runs, and failed_when/until/changed_when are not applied.
 */
import { supportsAsync, unsupportedAsyncMessage } from '../../../runtime/modules/catalog';
import type { Rule, TextEdit } from '../types';
import { keywordNumber } from '../facts';
import { deleteEntry } from '../edits';
import { isActionTask } from '../walk';
import { entrySpan, findingAt } from './util';

export const asyncUnsupported: Rule = {
  code: 'async-unsupported',
  severity: 'error',
  description: 'async on an action that does not support it: the task fails before running',
  check({ facts, settings }) {
    const out = [];
    for (const { task, play } of facts.tasks) {
      const entry = task.keywords.async;
      if (!entry || !isActionTask(task) || !task.module || !task.action) continue;
      const v = keywordNumber(task, play, 'async');
      // async 0 is a synchronous run; a template the playbook does not resolve may be 0, so it is not reported
      if (v.kind !== 'number' || v.value === 0) continue;
      if (supportsAsync(task.module, settings.coreVersion)) continue;
      const message = `${unsupportedAsyncMessage(task.action, settings.coreVersion)} The task fails with this message (ansible-core ${settings.coreVersion}) instead of running ${task.module}; failed_when, until and changed_when are not applied. Remove async: ${entry.value}.`;
      const edits = [deleteEntry(task.file, entry), task.keywords.poll ? deleteEntry(task.file, task.keywords.poll) : undefined].filter((e): e is TextEdit => e !== undefined);
      out.push(findingAt(this, task, entrySpan(entry), message, edits.length ? [{ title: 'Remove async (and poll)', edits }] : undefined));
    }
    return out;
  },
};
