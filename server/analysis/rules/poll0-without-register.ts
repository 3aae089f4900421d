/** A fire-and-forget launch (poll 0) without `register`: its job id is lost, nothing can join or clean it up. */
import type { Rule } from '../types';
import { asyncState, registerName } from '../facts';
import { insertAfter } from '../edits';
import { isActionTask } from '../walk';
import { entrySpan, findingAt } from './util';

export function suggestedRegister(task: { name?: string; module?: string }): string {
  const base = (task.name ?? task.module ?? 'job').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 24);
  return `${/^[a-z_]/.test(base) ? base : `job_${base}`}_job`.replace(/^_job$/, 'job');
}

export const poll0WithoutRegister: Rule = {
  code: 'poll0-without-register',
  severity: 'warning',
  description: 'fire-and-forget launch without register: the job id is lost',
  check({ facts, settings }) {
    const out = [];
    for (const { task, play } of facts.tasks) {
      if (!isActionTask(task) || registerName(task) || task.keywords.register) continue;
      const state = asyncState(task, settings.coreVersion, play);
      if (state.kind !== 'async' || state.poll !== 'fire') continue;
      const at = task.keywords.poll ?? task.keywords.async!;
      const name = suggestedRegister(task);
      out.push(findingAt(this, task, entrySpan(at),
        `poll: ${String(task.keywords.poll?.value ?? 0)} launches a background job and moves on, but without register its job id is lost: no async_status can wait for it, read its result or clean up its status file.`,
        [{ title: `Add register: ${name}`, edits: [insertAfter(task.file, at, `register: ${name}`)], preferred: true }]));
    }
    return out;
  },
};
