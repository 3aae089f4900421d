/** Hover on async/poll/until/retries/delay/async_status (and other keywords): docs, this task's values, the formula. */
import type { Hover, Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { keywordInfo } from '../../runtime/playbook/keywords';
import { lookupModule } from '../../runtime/modules/catalog';
import type { AnalysisResult } from '../analysis/analyze';
import { uriToPath } from '../documents/paths';
import { WAIT_DOCS } from './keyword-docs';
import { spanToRange } from './positions';
import { entryAt, taskAt } from './task-at';

const WAIT_KEYS = new Set(['async', 'poll', 'until', 'retries', 'delay']);

export function hover(doc: TextDocument, result: AnalysisResult, position: Position): Hover | null {
  const path = uriToPath(doc.uri);
  const offset = doc.offsetAt(position);
  const ref = taskAt(result, path, offset);
  if (!ref) return null;
  const task = ref.task;
  const budgetRow = result.taskBudgets.find((b) => b.task === task);
  const budget = budgetRow?.budget;
  const computed = (): string[] => {
    if (!budget) return [];
    const lines = [];
    if (budget.text) lines.push(`**This task:** ${budget.text}`);
    if (budget.formula) lines.push(`**How:** ${budget.formula}`);
    if (budget.failsAtOnce) lines.push(`**Fails at once:** ${budget.failsAtOnce}`);
    return lines;
  };

  // the module key of an async_status task
  if (task.actionSpan && offset >= task.actionSpan.start && offset <= task.actionSpan.end) {
    if (task.module === 'async_status') {
      const join = budget?.join;
      const lines = [`**async_status** — ${WAIT_DOCS.async_status}`, ...computed()];
      if (join?.asyncLimit != null) lines.push(`Joined job: async limit ${join.asyncLimit.toLocaleString('en-US')} s · this join waits ${join.waitSeconds === null ? 'an unknown time' : `${join.waitSeconds.toLocaleString('en-US')} s`}${join.covers === false ? ' — **too short**' : ''}`);
      return { contents: { kind: 'markdown', value: lines.join('\n\n') }, range: spanToRange(doc, task.actionSpan) };
    }
    const info = task.action ? lookupModule(task.action) : undefined;
    if (!info) return null;
    const asyncNote = info.async === 'yes' ? 'supports async' : info.async === 'no' ? 'does **not** support async' : `supports async before ${info.async.before}`;
    return { contents: { kind: 'markdown', value: `**${info.fqcn}** — ${info.doc}\n\n${asyncNote}` }, range: spanToRange(doc, task.actionSpan) };
  }

  const at = entryAt(task, offset);
  if (!at || at.where !== 'keyword') return null;
  const key = at.entry.key;
  if (WAIT_KEYS.has(key)) {
    const value = at.entry.templated ? `\`${String(at.entry.value)}\` (templated: known at run time)` : `\`${JSON.stringify(at.entry.value)}\``;
    const lines = [`**${key}** (task keyword) — ${WAIT_DOCS[key]}`, `Value here: ${value}`, ...computed()];
    return { contents: { kind: 'markdown', value: lines.join('\n\n') }, range: spanToRange(doc, at.entry.keySpan) };
  }
  if (at.on !== 'key') return null;
  const info = keywordInfo(key);
  if (!info) return null;
  const def = info.default !== undefined ? ` Default: \`${JSON.stringify(info.default)}\`.` : '';
  return { contents: { kind: 'markdown', value: `**${key}** (${info.type}) — ${info.doc}${def}` }, range: spanToRange(doc, at.entry.keySpan) };
}
