/**
 * Playbook Studio's VS Code side: the language client for dist/server.js, the Run Playbook commands, the Jobs
 * tree fed by the runtime CLI's events, and the run history that survives a window reload.
 */
import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LanguageClient } from 'vscode-languageclient/node';
import { startLanguageClient } from './languageClient';
import { RunStore } from './jobs/store';
import { RunHistory } from './jobs/history';
import { JobsTreeProvider } from './jobs/treeProvider';
import { ResultDocuments, resultScheme } from './jobs/resultDocuments';
import type { TreeNode } from './jobs/model';
import { RunManager } from './run/runManager';
import { RunPresentation } from './run/presentation';
import { registerCommands } from './commands';
import { watchModelines } from './modeline';

/** What `vscode.extensions.getExtension(...).exports` gives (used by the integration tests and other extensions). */
export interface PlaybookStudioApi {
  store: RunStore;
  runs: RunManager;
  tree: JobsTreeProvider;
  view: vscode.TreeView<TreeNode>;
  runDiagnostics: vscode.DiagnosticCollection;
  output: vscode.OutputChannel;
  languageClient: Promise<LanguageClient | undefined>;
  /** where the run history and journals are kept (inside the workspace storage folder) */
  historyFolder: string;
}

let client: LanguageClient | undefined;

/**
 * The run history lives in the workspace storage folder (`storageUri`). Web and remote windows (code-server) key
 * that folder by the window's address too, so the same workspace opened through another host:port gets an empty
 * one: a small file in global storage remembers each workspace's last folder so its runs are adopted by the new one
 * (RunHistory). A file, not globalState: a web window keeps Mementos in the browser profile, which may be new.
 * The folder of earlier versions (global storage keyed by the workspace path) is adopted the same way.
 */
function openHistory(context: vscode.ExtensionContext): RunHistory {
  const key = vscode.workspace.workspaceFile?.path ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!context.storageUri || !key) return new RunHistory(join(context.globalStorageUri.fsPath, 'no-workspace'));
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 16);
  const pointer = join(context.globalStorageUri.fsPath, 'workspace-history', digest);
  const folder = join(context.storageUri.fsPath, 'runs');
  let previous = join(context.globalStorageUri.fsPath, 'workspaces', digest);
  try {
    previous = readFileSync(pointer, 'utf8').trim() || previous;
  } catch {
    // first run of this workspace (or of this version)
  }
  const history = new RunHistory(folder, previous);
  if (previous !== folder) {
    mkdirSync(dirname(pointer), { recursive: true });
    writeFileSync(pointer, folder);
  }
  return history;
}

export async function activate(context: vscode.ExtensionContext): Promise<PlaybookStudioApi> {
  const output = vscode.window.createOutputChannel('Playbook Studio');
  const serverOutput = vscode.window.createOutputChannel('Playbook Studio Language Server', { log: true });
  context.subscriptions.push(output, serverOutput);

  const history = openHistory(context);
  const store = new RunStore();
  const runs = new RunManager(context.asAbsolutePath('dist/cli.js'), store, history, output, context.secrets);
  const tree = new JobsTreeProvider(store);
  const view = vscode.window.createTreeView('playbookStudio.jobs', { treeDataProvider: tree, showCollapseAll: true });
  tree.attach(view);
  const presentation = new RunPresentation(store);
  const results = new ResultDocuments(store);
  context.subscriptions.push(runs, tree, view, presentation, results, vscode.workspace.registerTextDocumentContentProvider(resultScheme, results));
  registerCommands(context, store, runs, output);
  watchModelines(context);

  // The tree shows the previous window's runs at once; their still-running jobs are followed again.
  try {
    runs.restore();
  } catch (error) {
    output.appendLine(`playbook-studio: could not restore the run history: ${(error as Error).message}`);
  }

  // The language server starts in the background: the Jobs view and commands do not wait for it.
  const languageClient = startLanguageClient(context, serverOutput).then(
    (started) => {
      client = started;
      return started;
    },
    (error: unknown) => {
      serverOutput.appendLine(`playbook-studio: language server failed to start: ${(error as Error)?.message ?? String(error)}`);
      return undefined;
    },
  );
  return { store, runs, tree, view, runDiagnostics: presentation.diagnostics, output, languageClient, historyFolder: history.folder };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
