/** `poll` without `async` (or with async 0): a plain synchronous run, poll has no effect. */
import type { Rule } from '../types';
import { deleteEntry } from '../edits';
import { keywordNumber } from '../facts';
import { isActionTask } from '../walk';
import { entrySpan, findingAt } from './util';

export const pollWithoutAsync: Rule = {
  code: 'poll-without-async',
  severity: 'warning',
  description: 'poll without async has no effect',
  check({ facts }) {
    const out = [];
    for (const { task, play } of facts.tasks) {
      const poll = task.keywords.poll;
      if (!poll || !isActionTask(task)) continue;
      const a = keywordNumber(task, play, 'async');
      if (a.kind === 'unknown' || a.kind === 'invalid') continue;
      if (a.kind === 'number' && a.value !== 0) continue;
      const why = a.kind === 'absent' ? 'there is no async' : 'async is 0';
      const edit = deleteEntry(task.file, poll);
      out.push(findingAt(this, task, entrySpan(poll),
        `poll: ${String(poll.value)} has no effect because ${why}: the task runs synchronously and blocks until it ends, with no time limit. Add async: SECONDS to run it as a background job, or remove poll.`,
        edit ? [{ title: 'Remove the useless poll', edits: [edit], preferred: true }] : undefined));
    }
    return out;
  },
};
