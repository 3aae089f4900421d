/**
 * Jinja analysis of a task's strings through the template engine (runtime/template): syntax errors, filters
 * and tests with their spans, variables. Conditionals are bare expressions; everything else is a template.
 * Results are memoised per string: the same expression appears on many tasks.
 */
import { analyzeExpression, analyzeTemplate, type Analysis } from '../../runtime/template';
import type { Task } from '../../runtime/playbook/model';
import { CONDITIONAL_KEYWORDS, taskStrings, type LocatedString } from './strings';

export interface JinjaUse {
  string: LocatedString;
  mode: 'expression' | 'template';
  analysis: Analysis;
}

const memo = new Map<string, Analysis>();
const EMPTY: Analysis = { errors: [], variables: [], filters: [], tests: [] };

function analyse(mode: 'expression' | 'template', text: string): Analysis {
  const key = `${mode}\u0000${text}`;
  let a = memo.get(key);
  if (!a) {
    try {
      a = mode === 'expression' ? analyzeExpression(text) : analyzeTemplate(text);
    } catch {
      a = EMPTY;
    }
    if (memo.size > 20_000) memo.clear();
    memo.set(key, a);
  }
  return a;
}

export function hasJinja(text: string): boolean {
  return text.includes('{{') || text.includes('{%') || text.includes('{#');
}

/** every string of the task that Jinja reads, analysed */
export function jinjaUses(task: Task): JinjaUse[] {
  const out: JinjaUse[] = [];
  for (const s of taskStrings(task)) {
    const conditional = s.where === 'keyword' && CONDITIONAL_KEYWORDS.has(s.key);
    if (conditional && !hasJinja(s.text)) {
      if (s.text.trim() === '') continue;
      out.push({ string: s, mode: 'expression', analysis: analyse('expression', s.text) });
    } else if (hasJinja(s.text)) {
      out.push({ string: s, mode: 'template', analysis: analyse('template', s.text) });
    }
  }
  return out;
}

const taskMemo = new WeakMap<Task, JinjaUse[]>();

/** jinjaUses, computed once per task per analysis (three rules read them) */
export function jinjaUsesOf(task: Task): JinjaUse[] {
  let uses = taskMemo.get(task);
  if (!uses) {
    uses = jinjaUses(task);
    taskMemo.set(task, uses);
  }
  return uses;
}
