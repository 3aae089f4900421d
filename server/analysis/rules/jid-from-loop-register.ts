/**
 * `jid: "{{ reg.ansible_job_id }}"` when `reg` was registered by a looped launch: the job ids are in
 * `reg.results[*].ansible_job_id`, and the task fails with "'dict object' has no attribute 'ansible_job_id'".
 */
import type { Rule } from '../types';
import { launchFor } from '../facts';
import { insertAfter } from '../edits';
import { findingAt } from './util';

export const jidFromLoopRegister: Rule = {
  code: 'jid-from-loop-register',
  severity: 'error',
  description: 'jid read from a register of a looped launch (ids are in .results)',
  check({ facts }) {
    const out = [];
    for (const jr of facts.jobRefs) {
      if (!jr.direct) continue;
      const launch = launchFor(facts, jr.register, jr.ref);
      if (!launch?.looped) continue;
      const task = jr.ref.task;
      const fixes = [];
      const hasLoop = Object.keys(task.keywords).some((k) => k === 'loop' || k.startsWith('with_'));
      if (!hasLoop) {
        const edits = [{ span: jr.jid.valueSpan, newText: '"{{ item.ansible_job_id }}"' }];
        const anchor = task.keywords.register ?? task.keywords.until ?? task.keywords.name;
        if (anchor) {
          edits.push(insertAfter(task.file, anchor, `loop: "{{ ${jr.register}.results }}"`));
          fixes.push({ title: `Loop over ${jr.register}.results`, edits, preferred: true });
        }
      }
      out.push(findingAt(this, task, jr.jid.valueSpan,
        `'${jr.register}' was registered by a loop (${launch.ref.task.name ? `'${launch.ref.task.name}'` : 'a looped task'}), so it has no ansible_job_id: the ids are in ${jr.register}.results. This task fails with "'dict object' has no attribute 'ansible_job_id'". Loop over ${jr.register}.results and use item.ansible_job_id.`,
        fixes));
    }
    return out;
  },
};
