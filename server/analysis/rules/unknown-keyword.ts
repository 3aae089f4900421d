/**
 * Keys that are neither keywords nor the task's module. On a task Ansible reads such a key as a second
 * action ("conflicting action statements"), on a play or block it is "not a valid attribute": both stop the
 * playbook before it runs. A close keyword is offered as a fix (`retires` → `retries`).
 */
import { keywordsFor, suggestKeyword, type KeywordScope } from '../../../runtime/playbook/keywords';
import type { Entry, Task } from '../../../runtime/playbook/model';
import type { Finding, Rule } from '../types';
import { playsOf } from '../walk';
import { findingAt } from './util';

/** `retry` → `retries`: the one keyword sharing all but the last letter of what was typed (4+ letters) */
function prefixSuggestion(key: string, scope: KeywordScope): string | undefined {
  if (key.length < 4) return undefined;
  const common = (a: string, b: string) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  };
  const need = Math.max(4, key.length - 1);
  const matches = keywordsFor(scope).map((k) => k.name).filter((n) => common(key, n) >= need);
  return matches.length === 1 ? matches[0] : undefined;
}

function describe(entry: Entry, scope: KeywordScope, task: Task | undefined, rule: Rule): Finding {
  const suggestion = suggestKeyword(entry.key, scope) ?? prefixSuggestion(entry.key, scope);
  const where = scope === 'play' ? 'Play' : scope === 'block' ? 'Block' : 'task';
  const consequence = scope === 'task' || scope === 'handler'
    ? `Ansible reads it as a second action: "ERROR! conflicting action statements: ${task?.action ?? '…'}, ${entry.key}" and nothing runs.`
    : `"ERROR! '${entry.key}' is not a valid attribute for a ${where}" and nothing runs.`;
  const message = `Unknown ${where === 'task' ? 'task' : where.toLowerCase()} keyword '${entry.key}'${suggestion ? ` — did you mean '${suggestion}'?` : '.'} ${consequence}`;
  const fixes = suggestion ? [{ title: `Change '${entry.key}' to '${suggestion}'`, edits: [{ span: entry.keySpan, newText: suggestion }], preferred: true }] : undefined;
  return { code: rule.code, severity: rule.severity, file: task?.file ?? (undefined as never), span: entry.keySpan, message, ...(fixes ? { fixes } : {}) };
}

export const unknownKeyword: Rule = {
  code: 'unknown-keyword',
  severity: 'error',
  description: 'misspelled or unknown keyword (with did-you-mean)',
  check({ facts, playbook }) {
    const out: Finding[] = [];
    for (const { task } of facts.tasks) {
      const scope: KeywordScope = task.kind === 'block' ? 'block' : task.isHandler ? 'handler' : 'task';
      for (const entry of task.unknownKeys) {
        // a task whose only unknown key names a module we do not know (a collection) is fine: it is the action
        if (entry.key === '') continue;
        out.push(describe(entry, scope, task, this));
      }
    }
    for (const { play } of playsOf(playbook)) {
      for (const entry of play.unknownKeys) {
        const f = describe(entry, 'play', undefined, this);
        out.push({ ...f, file: play.file });
      }
    }
    // unused: keeps findingAt imported for symmetry with the other rules
    void findingAt;
    return out;
  },
};
