/** A registered fire-and-forget job that no async_status ever reads: nobody learns whether it failed. */
import type { Rule } from '../types';
import { findingAt, taskSpan } from './util';
import { num } from '../values';

export const jobNeverJoined: Rule = {
  code: 'job-never-joined',
  severity: 'information',
  description: 'poll 0 job whose result is never read by async_status',
  check({ facts }) {
    const out = [];
    for (const launch of facts.launches) {
      if (!launch.register) continue;
      const refs = facts.jobRefs.filter((r) => r.register === launch.register && r.ref.order > launch.ref.order);
      if (refs.some((r) => r.mode !== 'cleanup')) continue;
      // the jid may be used some other way we cannot see (passed to a role, a variable, another module)
      const mentioned = facts.tasks.some((t) => t.order > launch.ref.order && t.task.module !== 'async_status' && mentions(t.task, launch.register!));
      if (mentioned) continue;
      const limit = launch.asyncSeconds ? ` It is killed after about ${num(launch.asyncSeconds)} s (async) whatever happens, and` : '';
      out.push(findingAt(this, launch.ref.task, taskSpan(launch.ref.task),
        `The job registered as '${launch.register}' is never joined: no async_status reads ${launch.register}${launch.looped ? '.results' : '.ansible_job_id'}, so a failure goes unnoticed and the play may end while it still runs.${limit ? limit + ' its status file stays in ~/.ansible_async.' : ''}`));
    }
    return out;
  },
};

/** whether any string value of the task mentions `name` inside Jinja (jid passed on, loop over results, ...) */
function mentions(task: import('../../../runtime/playbook/model').Task, name: string): boolean {
  const re = new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
  const seen = (v: unknown, depth: number): boolean => {
    if (depth > 8) return false;
    if (typeof v === 'string') return re.test(v);
    if (Array.isArray(v)) return v.some((x) => seen(x, depth + 1));
    if (v && typeof v === 'object') return Object.values(v).some((x) => seen(x, depth + 1));
    return false;
  };
  const entries = [...Object.values(task.args), ...Object.entries(task.keywords).filter(([k]) => k !== 'register' && k !== 'name').map(([, e]) => e)];
  return entries.some((e) => seen(e.value, 0)) || (task.freeForm ? re.test(task.freeForm.value) : false);
}
