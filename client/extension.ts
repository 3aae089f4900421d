/**
 * Playbook Studio's VS Code side: the language client for dist/server.js, the Run Playbook commands, the Jobs
 * tree fed by the runtime CLI's events, and the run history that survives a window reload.
 */
import * as vscode from 'vscode';
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
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<PlaybookStudioApi> {
  const output = vscode.window.createOutputChannel('Playbook Studio');
  const serverOutput = vscode.window.createOutputChannel('Playbook Studio Language Server', { log: true });
  context.subscriptions.push(output, serverOutput);

  const storage = (context.storageUri ?? context.globalStorageUri).fsPath;
  const history = new RunHistory(storage);
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
  return { store, runs, tree, view, runDiagnostics: presentation.diagnostics, output, languageClient };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
