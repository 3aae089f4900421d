/** `async` on import_tasks is accepted and silently ignored: the imported tasks run synchronously. */
import type { Rule } from '../types';
import { deleteEntry } from '../edits';
import { entrySpan, findingAt } from './util';

export const asyncOnImport: Rule = {
  code: 'async-on-import',
  severity: 'warning',
  description: 'async/poll on import_tasks or import_role: silently ignored',
  check({ facts }) {
    const out = [];
    for (const { task } of facts.tasks) {
      if (task.kind !== 'import_tasks' && task.kind !== 'import_role') continue;
      for (const key of ['async', 'poll'] as const) {
        const entry = task.keywords[key] ?? task.unknownKeys.find((e) => e.key === key);
        if (!entry) continue;
        const edit = deleteEntry(task.file, entry);
        out.push(findingAt(this, task, entrySpan(entry),
          `${key}: ${String(entry.value)} on ${task.kind} is ignored: the imported tasks run synchronously (no background job, no ${key === 'async' ? 'time limit' : 'polling'}). Put ${key} on the tasks inside the imported file.`,
          edit ? [{ title: `Remove ${key}`, edits: [edit] }] : undefined));
      }
    }
    return out;
  },
};
