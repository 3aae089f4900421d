/** `async` on include_tasks/include_role is rejected when the playbook is parsed (nothing runs, rc 4). */
import type { Rule, TextEdit } from '../types';
import { deleteEntry } from '../edits';
import { entrySpan, findingAt } from './util';

export const asyncOnInclude: Rule = {
  code: 'async-on-include',
  severity: 'error',
  description: 'async/poll on include_tasks or include_role: a parse error in Ansible',
  check({ facts }) {
    const out = [];
    for (const { task } of facts.tasks) {
      if (task.kind !== 'include_tasks' && task.kind !== 'include_role') continue;
      for (const key of ['async', 'poll'] as const) {
        const entry = task.keywords[key] ?? task.unknownKeys.find((e) => e.key === key);
        if (!entry) continue;
        const what = task.kind === 'include_tasks' ? 'TaskInclude' : 'IncludeRole';
        // one fix removes async and poll together: poll alone is just as invalid here
        const edits = (['async', 'poll'] as const)
          .map((k) => task.keywords[k] ?? task.unknownKeys.find((e) => e.key === k))
          .map((e) => (e ? deleteEntry(task.file, e) : undefined))
          .filter((e): e is TextEdit => e !== undefined);
        out.push(findingAt(this, task, entrySpan(entry),
          `ERROR! '${key}' is not a valid attribute for a ${what}: ansible-playbook stops before running anything (exit code 4). Put ${key} on the tasks inside the included file.`,
          edits.length ? [{ title: edits.length > 1 ? 'Remove async and poll' : `Remove ${key}`, edits }] : undefined));
      }
    }
    return out;
  },
};
