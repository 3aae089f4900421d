/**
 * A file's text with a line index, so spans (UTF-16 offsets, as `yaml` and LSP use) convert to line/column
 * without rescanning the text for every finding.
 */
import type { SourceFile, Span } from './model';

export interface IndexedSourceFile extends SourceFile {
  /** offset of the first character of a 0-based line */
  lineStart(line: number): number;
  /** number of lines (a final line without newline counts; an empty file has 1) */
  readonly lineCount: number;
  /** offset of a 0-based line/character, clamped to the text */
  offset(line: number, character: number): number;
}

export function createSourceFile(path: string, text: string): IndexedSourceFile {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    // a lone CR ends a line too (YAML treats CR, LF and CRLF alike)
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return {
    path,
    text,
    lineCount: starts.length,
    lineStart(line) {
      return starts[Math.max(0, Math.min(line, starts.length - 1))];
    },
    position(offset) {
      const o = Math.max(0, Math.min(offset, text.length));
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= o) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo, character: o - starts[lo] };
    },
    offset(line, character) {
      if (line >= starts.length) return text.length;
      const start = starts[Math.max(0, line)];
      const end = line + 1 < starts.length ? starts[line + 1] : text.length;
      return Math.min(start + Math.max(0, character), end);
    },
  };
}

/** "path:line:col" with 1-based line and column, the form every user-facing error uses */
export function formatLocation(file: SourceFile, offset: number): string {
  const { line, character } = file.position(offset);
  return `${file.path}:${line + 1}:${character + 1}`;
}

/** 1-based start/end line and column of a span, the shape CLI JSON output uses */
export function spanLines(file: SourceFile, span: Span) {
  const s = file.position(span.start);
  const e = file.position(span.end);
  return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}
