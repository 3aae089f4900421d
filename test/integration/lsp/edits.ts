/** Applies LSP text edits to a string (tests check that quick fixes produce what they promise). */
import type { TextEdit } from 'vscode-languageserver-protocol';

function offsetOf(text: string, line: number, character: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + character, text.length);
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  const resolved = edits.map((e) => ({ start: offsetOf(text, e.range.start.line, e.range.start.character), end: offsetOf(text, e.range.end.line, e.range.end.character), newText: e.newText }));
  resolved.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of resolved) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
