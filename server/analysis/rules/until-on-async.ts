/**
 * `until` on the async task itself: every attempt re-runs the whole launch. With poll 0, up to retries + 1
 * separate jobs are started and `until: r.finished` can never pass on a launch result; with poll > 0, up to
 * retries + 1 complete async runs. Waiting belongs on an async_status task.
 */
import type { Rule } from '../types';
import { asyncState } from '../facts';
import { joinWait } from '../join';
import { num } from '../values';
import { isActionTask } from '../walk';
import { entrySpan, findingAt } from './util';

export const untilOnAsync: Rule = {
  code: 'until-on-async',
  severity: 'warning',
  description: 'until/retries on an async task relaunch the job on every attempt',
  check({ facts, settings }) {
    const out = [];
    for (const { task, play } of facts.tasks) {
      const until = task.keywords.until;
      if (!until || !isActionTask(task)) continue;
      const state = asyncState(task, settings.coreVersion, play);
      if (state.kind !== 'async') continue;
      const wait = joinWait(task, settings.coreVersion, play);
      const n = wait ? num(wait.attempts) : 'retries + 1';
      const readsFinished = /\bfinished\b/.test(JSON.stringify(until.value));
      const message = state.poll === 'fire'
        ? `until on a poll 0 task relaunches the job on every attempt: up to ${n} separate background jobs${readsFinished ? `, and 'finished' is always 0 in a launch result, so this until never passes` : ''}. Wait with an async_status task (jid from register) that has the until/retries/delay.`
        : `until on an async task re-runs the whole job on every attempt: up to ${n} complete runs of up to ${state.seconds ? num(state.seconds) + ' s' : 'the async limit'} each. Use until/retries on an async_status task to wait, or drop async.`;
      out.push(findingAt(this, task, entrySpan(until), message, undefined, state.poll === 'fire' && readsFinished ? 'error' : undefined));
    }
    return out;
  },
};
