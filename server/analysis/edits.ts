/** Text edits that fixes share: delete a `key: value` line, replace a value, insert a sibling key. */
import type { Entry, SourceFile, Span, Task } from '../../runtime/playbook/model';
import type { TextEdit } from './types';

function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

function lineEndOf(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** the indentation (spaces) of the line holding `offset`, or of the key itself when it follows "- " */
export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/**
 * Removes an entry written on its own line(s) (`  poll: 0   # comment`). When the key shares its line with
 * the list dash (`- poll: 0`), only the entry is removed up to the next line's key, which keeps the YAML valid
 * only if another key follows; in that case we return no edit rather than break the file.
 */
export function deleteEntry(file: SourceFile, entry: Entry): TextEdit | undefined {
  const text = file.text;
  const start = lineStartOf(text, entry.keySpan.start);
  const before = text.slice(start, entry.keySpan.start);
  if (before.trim() !== '') return undefined;
  let last = Math.max(entry.valueSpan.end, entry.keySpan.end);
  while (last > entry.keySpan.end && (text[last - 1] === '\n' || text[last - 1] === '\r')) last--;
  let end = lineEndOf(text, last);
  if (text[end] === '\r' && text[end + 1] === '\n') end += 2;
  else if (end < text.length) end += 1;
  return { span: { start, end }, newText: '' };
}

export function replaceSpan(span: Span, newText: string): TextEdit {
  return { span, newText };
}

/**
 * Inserts `key: value` as a new line after the entry `after` with the same indentation (the task's keys
 * are aligned), so the result stays a valid mapping.
 */
export function insertAfter(file: SourceFile, after: Entry, line: string): TextEdit {
  const text = file.text;
  const indent = ' '.repeat(columnOf(text, after.keySpan.start));
  let last = Math.max(after.valueSpan.end, after.keySpan.end);
  while (last > after.keySpan.end && (text[last - 1] === '\n' || text[last - 1] === '\r')) last--;
  const end = lineEndOf(text, last);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { span: { start: end, end }, newText: `${eol}${indent}${line}` };
}

/** the last keyword or module entry of a task written as block mapping keys (where new keys go) */
export function lastEntry(task: Task): Entry | undefined {
  const entries = Object.values(task.keywords);
  let last: Entry | undefined;
  for (const e of entries) if (!last || e.keySpan.start > last.keySpan.start) last = e;
  return last;
}
