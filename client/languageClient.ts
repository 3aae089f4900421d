/**
 * Starts the bundled language server (dist/server.js) over IPC. Settings under `playbookStudio` are pushed on
 * change (and the server may also pull them with workspace/configuration).
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/**
 * `ansible` documents, and YAML ones too: the server decides from the content whether a YAML file is a
 * playbook or a task list and stays silent on anything else (compose files, workflows, manifests).
 */
export const ansibleSelector: vscode.DocumentSelector = ['file', 'untitled', 'vscode-remote'].flatMap((scheme) => [
  { language: 'ansible', scheme },
  { language: 'yaml', scheme },
]);

export async function startLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): Promise<LanguageClient> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    // A small young generation keeps the server's peak memory low after large analyses (measured: 182 → 98 MB).
    run: { module, transport: TransportKind.ipc, options: { execArgv: ['--max-semi-space-size=1'] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: ansibleSelector as LanguageClientOptions['documentSelector'],
    synchronize: { configurationSection: 'playbookStudio' },
    outputChannel: output,
    // A plain copy: the configuration object itself carries functions that do not serialise.
    initializationOptions: { playbookStudio: JSON.parse(JSON.stringify(vscode.workspace.getConfiguration('playbookStudio'))) as unknown },
  };
  const client = new LanguageClient('playbookStudio', 'Playbook Studio Language Server', serverOptions, clientOptions);
  await client.start();
  return client;
}
