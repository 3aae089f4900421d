/** Outline: plays → sections → tasks/blocks (children) and handlers. */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Task } from '../../runtime/playbook/model';
import { playSections } from '../../runtime/playbook/walk';
import type { AnalysisResult } from '../analysis/analyze';
import { uriToPath } from '../documents/paths';
import { spanToRange } from './positions';

function taskSymbol(doc: TextDocument, path: string, task: Task, depth: number): DocumentSymbol | undefined {
  if (task.file.path !== path) return undefined;
  const label = task.name || (task.kind === 'block' ? 'block' : task.action ?? task.kind);
  const children: DocumentSymbol[] = [];
  if (depth < 32) {
    for (const child of [...(task.block ?? []), ...(task.rescue ?? []), ...(task.always ?? [])]) {
      const s = taskSymbol(doc, path, child, depth + 1);
      if (s) children.push(s);
    }
  }
  const range = spanToRange(doc, task.span);
  return {
    name: label || '(task)',
    detail: task.kind === 'block' ? 'block' : task.isHandler ? `handler · ${task.action ?? ''}` : task.action ?? task.kind,
    kind: task.kind === 'block' ? SymbolKind.Namespace : task.isHandler ? SymbolKind.Event : SymbolKind.Function,
    range,
    selectionRange: spanToRange(doc, task.headSpan),
    children,
  };
}

export function documentSymbols(doc: TextDocument, result: AnalysisResult): DocumentSymbol[] {
  const path = uriToPath(doc.uri);
  const out: DocumentSymbol[] = [];
  result.playbook.plays.forEach((play, i) => {
    if (play.file.path !== path) return;
    const children: DocumentSymbol[] = [];
    for (const section of playSections(play)) {
      for (const task of section.tasks) {
        const s = taskSymbol(doc, path, task, 0);
        if (s) children.push(s);
      }
    }
    const name = play.name || (play.importPlaybook ? `import_playbook ${String(play.importPlaybook.path.value)}` : `play ${i + 1}`);
    out.push({
      name,
      detail: play.hosts ? `hosts: ${Array.isArray(play.hosts.value) ? play.hosts.value.join(', ') : String(play.hosts.value)}` : undefined,
      kind: SymbolKind.Module,
      range: spanToRange(doc, play.span),
      selectionRange: spanToRange(doc, play.headSpan),
      children,
    });
  });
  for (const task of result.looseTasks) {
    const s = taskSymbol(doc, path, task, 0);
    if (s) out.push(s);
  }
  return out;
}
