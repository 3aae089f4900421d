/**
 * The language half in a real VS Code: activation, the `ansible` language, and the language server's diagnostics,
 * inlay hints and hovers arriving through the real client.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describe, it, before } from 'mocha';
import { api, extensionId, playbookUri, waitFor } from './helpers';

async function openPlaybook(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(playbookUri(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

function lineOf(doc: vscode.TextDocument, text: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(text)) return i;
  throw new Error(`'${text}' not found in ${doc.uri.fsPath}`);
}

function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

describe('language', () => {
  before(async () => {
    await api();
  });

  it('activates and registers its commands', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension?.isActive, 'extension is active');
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['runPlaybook', 'runPlaybookWithOptions', 'stopRun', 'rerun', 'attachJobs', 'cleanupJob', 'openResult', 'showOutput', 'goToTask']) {
      assert.ok(commands.includes(`playbookStudio.${command}`), `playbookStudio.${command} is registered`);
    }
  });

  it('gives playbooks the ansible language (by path and by first line), and leaves other YAML alone', async () => {
    const doc = await openPlaybook('budgets.yml');
    assert.equal(doc.languageId, 'ansible');
    const root = vscode.workspace.workspaceFolders![0].uri;
    const marked = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, 'misc', 'marked.yml'));
    await vscode.window.showTextDocument(marked);
    await waitFor('first-line language detection', () => (marked.isClosed ? undefined : vscode.workspace.textDocuments.find((d) => d.uri.toString() === marked.uri.toString())?.languageId === 'ansible'), 10_000);
    const other = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, 'misc', 'not-ansible.yml'));
    assert.equal(other.languageId, 'yaml');
  });

  it('shows the server diagnostics with their codes and ranges', async () => {
    const doc = await openPlaybook('budgets.yml');
    const diagnostics = await waitFor(
      'diagnostics on budgets.yml',
      () => {
        const list = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source !== 'Playbook Studio run');
        return list.some((d) => codeOf(d) === 'async-join-too-short') && list.some((d) => codeOf(d) === 'unknown-keyword') ? list : undefined;
      },
      30_000,
    );
    const joinFinding = diagnostics.find((d) => codeOf(d) === 'async-join-too-short')!;
    const retriesLine = lineOf(doc, 'retries: 30');
    assert.equal(joinFinding.range.start.line, retriesLine, 'join finding starts on the retries line');
    assert.equal(joinFinding.range.start.character, doc.lineAt(retriesLine).firstNonWhitespaceCharacterIndex);
    assert.equal(joinFinding.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(joinFinding.message, /150 s/);
    assert.match(joinFinding.message, /1,000 s|1000 s/);

    const typo = diagnostics.find((d) => codeOf(d) === 'unknown-keyword')!;
    const typoLine = lineOf(doc, 'retires: 3');
    const typoStart = doc.lineAt(typoLine).firstNonWhitespaceCharacterIndex;
    assert.deepEqual(
      [typo.range.start.line, typo.range.start.character, typo.range.end.line, typo.range.end.character],
      [typoLine, typoStart, typoLine, typoStart + 'retires'.length],
    );
    assert.match(typo.message, /retries/);
  });

  it('returns the wait budget as an inlay hint and in the hover', async () => {
    const doc = await openPlaybook('budgets.yml');
    const full = new vscode.Range(0, 0, doc.lineCount, 0);
    const hints = await waitFor(
      'inlay hints',
      async () => {
        const list = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, full);
        return list && list.length > 0 ? list : undefined;
      },
      30_000,
      250,
    );
    const label = (hint: vscode.InlayHint) => (typeof hint.label === 'string' ? hint.label : hint.label.map((p) => p.value).join(''));
    const joinTaskLine = lineOf(doc, 'name: Wait for it');
    const joinHint = hints.find((h) => h.position.line === joinTaskLine);
    assert.ok(joinHint, `an inlay hint on the join task's first line; got ${JSON.stringify(hints.map((h) => [h.position.line, label(h)]))}`);
    assert.match(label(joinHint), /150 s/);
    assert.match(label(joinHint), /30 × 5 s/);

    const retries = lineOf(doc, 'retries: 30');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(retries, doc.lineAt(retries).firstNonWhitespaceCharacterIndex + 2));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /retries/);
    assert.match(text, /150/);
  });
});
