/**
 * The string values of a task (keywords and module arguments, nested ones too) with a map from offsets in
 * the string to offsets in the file, so a Jinja error or a shell operator can be underlined exactly. When a
 * scalar is not written verbatim (escapes, folded or multi-line), offsets fall back to the scalar's span.
 */
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { Entry, SourceFile, Span, Task } from '../../runtime/playbook/model';
import { valueNodeOf } from '../../runtime/playbook/yaml-nodes';

export interface LocatedString {
  text: string;
  /** the keyword or argument this string belongs to (top-level key) */
  key: string;
  where: 'keyword' | 'arg' | 'free-form';
  /** span of the whole scalar in the file */
  span: Span;
  /** file offset of a string offset; undefined when the scalar is not verbatim */
  at(offset: number): number | undefined;
}

/** a span in the file for [start, end) of the string, or the whole scalar when it cannot be mapped */
export function locate(s: LocatedString, start: number, end: number): Span {
  const a = s.at(start);
  const b = s.at(Math.max(start, end));
  return a !== undefined && b !== undefined ? { start: a, end: Math.max(a, b) } : s.span;
}

export function verbatimMapper(file: SourceFile, span: Span, text: string): (offset: number) => number | undefined {
  // decided on first use: most strings never need a position (only those with a finding do)
  let base: number | undefined | null = null;
  const decide = (): number | undefined => {
    const whole = file.text;
    const length = span.end - span.start;
    if (length === text.length && whole.startsWith(text, span.start)) return span.start;
    const quote = whole[span.start];
    if ((quote === '"' || quote === "'") && length === text.length + 2 && whole[span.end - 1] === quote && whole.startsWith(text, span.start + 1)) return span.start + 1;
    return undefined;
  };
  return (offset) => {
    if (base === null) base = decide();
    return base === undefined || offset < 0 || offset > text.length ? undefined : base + offset;
  };
}

function fromNode(file: SourceFile, node: unknown, key: string, where: LocatedString['where'], out: LocatedString[], depth: number): void {
  if (depth > 16 || !node) return;
  if (isScalar(node)) {
    if (typeof node.value !== 'string' || !node.range) return;
    const span = { start: node.range[0], end: node.range[1] };
    out.push({ text: node.value, key, where, span, at: verbatimMapper(file, span, node.value) });
    return;
  }
  if (isSeq(node)) for (const item of node.items) fromNode(file, item, key, where, out, depth + 1);
  if (isMap(node)) for (const pair of node.items) if (isPair(pair)) fromNode(file, pair.value, key, where, out, depth + 1);
}

function fromEntry(file: SourceFile, entry: Entry, where: LocatedString['where'], out: LocatedString[]): void {
  const node = valueNodeOf(entry) as Node | undefined;
  if (node) return fromNode(file, node, entry.key, where, out, 0);
  if (typeof entry.value === 'string') out.push({ text: entry.value, key: entry.key, where, span: entry.valueSpan, at: verbatimMapper(file, entry.valueSpan, entry.value) });
}

const stringsMemo = new WeakMap<Task, LocatedString[]>();

/** the task's strings, collected once per task (several rules read them) */
export function taskStrings(task: Task): readonly LocatedString[] {
  let strings = stringsMemo.get(task);
  if (!strings) {
    strings = collectTaskStrings(task);
    stringsMemo.set(task, strings);
  }
  return strings;
}

function collectTaskStrings(task: Task): LocatedString[] {
  const out: LocatedString[] = [];
  for (const entry of Object.values(task.keywords)) {
    if (entry.key === 'name' || entry.key === 'action' || entry.key === 'local_action' || entry.key === 'args') continue;
    fromEntry(task.file, entry, 'keyword', out);
  }
  if (task.freeForm) out.push({ text: task.freeForm.value, key: '_raw_params', where: 'free-form', span: task.freeForm.valueSpan, at: verbatimMapper(task.file, task.freeForm.valueSpan, task.freeForm.value) });
  for (const entry of Object.values(task.args)) fromEntry(task.file, entry, 'arg', out);
  return out;
}

/** keywords whose value is a bare Jinja expression (a conditional), not a template */
export const CONDITIONAL_KEYWORDS = new Set(['when', 'until', 'changed_when', 'failed_when']);
