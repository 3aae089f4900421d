/** Per play: its worst case per host, and "▶ Run playbook" (the client runs `playbookStudio.runPlaybook` with [uri, playIndex]). */
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisResult } from '../analysis/analyze';
import { uriToPath } from '../documents/paths';

export const RUN_PLAYBOOK_COMMAND = 'playbookStudio.runPlaybook';

export function codeLenses(doc: TextDocument, result: AnalysisResult): CodeLens[] {
  const path = uriToPath(doc.uri);
  const lenses: CodeLens[] = [];
  const seenRun = new Set<number>();
  for (const { play, index, budget } of result.playBudgets) {
    // plays of an import_playbook entry get their lens on the import line of this file
    const top = result.playbook.plays[index];
    if (!top || top.file.path !== path) continue;
    const start = doc.positionAt(top.headSpan.start);
    const range = { start, end: start };
    if (!seenRun.has(index)) {
      seenRun.add(index);
      lenses.push({ range, command: { title: '▶ Run playbook', command: RUN_PLAYBOOK_COMMAND, arguments: [doc.uri, index] } });
    }
    if (play === top || top.importPlaybook) {
      const label = top.importPlaybook && play !== top ? `${budget.text}${play.name ? ` (${play.name})` : ''}` : budget.text;
      lenses.push({ range, command: { title: label, command: '', tooltip: budget.formula } });
    }
  }
  return lenses;
}
