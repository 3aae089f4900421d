/**
 * A poll 0 job that is joined with async_status (status mode never deletes anything) but never cleaned up:
 * its status file stays in ~/.ansible_async on the target. A polled job (poll > 0) is cleaned automatically.
 */
import type { Rule } from '../types';
import { findingAt, taskSpan } from './util';

export const jobNeverCleaned: Rule = {
  code: 'job-never-cleaned',
  severity: 'information',
  description: 'poll 0 job joined but its status file never cleaned up',
  check({ facts }) {
    const out = [];
    for (const launch of facts.launches) {
      if (!launch.register) continue;
      const refs = facts.jobRefs.filter((r) => r.register === launch.register && r.ref.order > launch.ref.order);
      if (!refs.some((r) => r.mode === 'status')) continue;
      if (refs.some((r) => r.mode !== 'status')) continue;
      const join = refs.find((r) => r.mode === 'status')!;
      out.push(findingAt(this, launch.ref.task, taskSpan(launch.ref.task),
        `The job '${launch.register}' is joined${join.ref.task.name ? ` by '${join.ref.task.name}'` : ''} but never cleaned up: async_status in status mode keeps the status file ~/.ansible_async/<jid> on the target (only a polled task, poll > 0, removes it). Add an async_status task with mode: cleanup after the join.`));
    }
    return out;
  },
};
