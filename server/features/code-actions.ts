/** Quick fixes: the fixes each finding carries (in the diagnostic's data, or recomputed from the analysis). */
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisResult } from '../analysis/analyze';
import { uriToPath } from '../documents/paths';
import { findingToDiagnostic, type DiagnosticData } from './diagnostics';

function overlaps(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

export function codeActions(doc: TextDocument, result: AnalysisResult, params: CodeActionParams): CodeAction[] {
  if (params.context.only && !params.context.only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k))) return [];
  const path = uriToPath(doc.uri);
  // current findings are the truth (the client's diagnostics may be a version behind)
  const diagnostics = result.findings
    .filter((f) => f.file.path === path && f.fixes?.length)
    .map((f) => findingToDiagnostic(doc, f))
    .filter((d) => overlaps(d.range, params.range));
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    const data = d.data as DiagnosticData | undefined;
    for (const fix of data?.fixes ?? []) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: fix.preferred,
        edit: { changes: { [doc.uri]: fix.edits } },
      });
    }
  }
  return actions;
}
