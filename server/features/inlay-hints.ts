/** The wait budget at the end of each relevant task's first line: `⏱ ≤ 3,600 s (120 × 30 s) · covers async 3,600 s`. */
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisResult } from '../analysis/analyze';
import { uriToPath } from '../documents/paths';

function inRange(line: number, range: Range | undefined): boolean {
  return !range || (line >= range.start.line && line <= range.end.line);
}

export function inlayHints(doc: TextDocument, result: AnalysisResult, range?: Range): InlayHint[] {
  const path = uriToPath(doc.uri);
  const hints: InlayHint[] = [];
  for (const { task, budget } of result.taskBudgets) {
    if (!budget.relevant || !budget.text || task.file.path !== path) continue;
    const position = doc.positionAt(task.headSpan.end);
    if (!inRange(position.line, range)) continue;
    hints.push({ position, label: budget.text, kind: InlayHintKind.Type, paddingLeft: true, tooltip: budget.formula || undefined });
  }
  return hints;
}
