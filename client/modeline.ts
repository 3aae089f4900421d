/**
 * `# code: language=ansible` on the first line makes a YAML file an Ansible one. The language contribution's
 * `firstLine` only applies when no file pattern claims the file, and `.yml` always is claimed by YAML, so the
 * switch is made here when such a document opens.
 */
import * as vscode from 'vscode';

export const modeline = /^#\s*code:\s*language\s*=\s*ansible\b/;

function check(doc: vscode.TextDocument): void {
  if (doc.languageId !== 'yaml' || doc.lineCount === 0) return;
  if (modeline.test(doc.lineAt(0).text)) void vscode.languages.setTextDocumentLanguage(doc, 'ansible').then(undefined, () => undefined);
}

export function watchModelines(context: vscode.ExtensionContext): void {
  vscode.workspace.textDocuments.forEach(check);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(check));
}
