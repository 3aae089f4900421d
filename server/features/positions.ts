/** Offsets (UTF-16, as the model keeps them) to LSP ranges and back, for the document being served. */
import type { Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { SourceFile, Span } from '../../runtime/playbook/model';

export function spanToRange(doc: TextDocument | SourceFile, span: Span): Range {
  if ('positionAt' in doc) return { start: doc.positionAt(span.start), end: doc.positionAt(Math.max(span.end, span.start)) };
  return { start: doc.position(span.start), end: doc.position(Math.max(span.end, span.start)) };
}

export function sameFile(a: string, b: string): boolean {
  return a === b;
}
