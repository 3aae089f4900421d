/**
 * changed_when/failed_when on a poll 0 launch reading rc/stdout/...: they are evaluated against the launch
 * result ({ansible_job_id, started, finished, results_file, changed, failed}), which has none of those, so
 * the condition errors ("'dict object' has no attribute 'rc'") and the task fails.
 */
import type { Rule } from '../types';
import { asyncState, registerName } from '../facts';
import { isActionTask } from '../walk';
import { findingAt } from './util';

const LAUNCH_FIELDS = new Set(['ansible_job_id', 'started', 'finished', 'results_file', 'changed', 'failed', 'skipped', 'msg', 'results', 'attempts', 'ansible_loop_var', 'item']);

export const launchResultField: Rule = {
  code: 'launch-result-field',
  severity: 'error',
  description: 'changed_when/failed_when on a poll 0 launch read fields the launch result does not have',
  check({ facts, settings }) {
    const out = [];
    for (const { task, play } of facts.tasks) {
      if (!isActionTask(task)) continue;
      const state = asyncState(task, settings.coreVersion, play);
      if (state.kind !== 'async' || state.poll !== 'fire') continue;
      const reg = registerName(task);
      if (!reg) continue;
      for (const key of ['changed_when', 'failed_when'] as const) {
        const entry = task.keywords[key];
        if (!entry) continue;
        const texts = Array.isArray(entry.value) ? entry.value : [entry.value];
        const re = new RegExp(`\\b${reg}\\s*(?:\\.\\s*([A-Za-z_]\\w*)|\\[\\s*['"](\\w+)['"]\\s*\\])`, 'g');
        const bad = new Set<string>();
        for (const t of texts) {
          if (typeof t !== 'string') continue;
          for (const m of t.matchAll(re)) {
            const field = m[1] ?? m[2];
            if (!LAUNCH_FIELDS.has(field)) bad.add(field);
          }
        }
        if (!bad.size) continue;
        const fields = [...bad];
        out.push(findingAt(this, task, entry.valueSpan,
          `${key} is evaluated against the launch result of this poll 0 task, which has only ansible_job_id, started, finished, results_file and changed: ${fields.map((f) => `${reg}.${f}`).join(', ')} ${fields.length > 1 ? 'are' : 'is'} undefined there, so the condition fails ("'dict object' has no attribute '${fields[0]}'") and the task fails. Move ${key} to the async_status task that joins the job.`));
      }
    }
    return out;
  },
};
