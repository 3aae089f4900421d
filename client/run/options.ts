/**
 * What a run needs besides the playbook: the inventory (setting, else remembered, else a quick pick of the
 * inventory files in the workspace), and limit / tags / extra vars / engine remembered per playbook in the
 * workspace state.
 */
import * as vscode from 'vscode';
import { relative } from 'node:path';
import type { RunRequest } from '../jobs/history';
import { readSettings, resolvePath, type Engine } from '../settings';

interface Remembered {
  inventory?: string;
  limit?: string;
  tags?: string;
  skipTags?: string;
  extraVars?: string;
  engine?: Engine;
}

const inventoryGlob = '**/{inventory,inventory.*,inventories/**,hosts,hosts.*,*.ini,*inventory*.yml,*inventory*.yaml}';

function memoryKey(playbook: string): string {
  return `playbookStudio.runOptions:${playbook}`;
}

export function remembered(state: vscode.Memento, playbook: string): Remembered {
  return state.get<Remembered>(memoryKey(playbook), {});
}

async function pickInventory(folder: vscode.WorkspaceFolder | undefined, current?: string): Promise<string | undefined> {
  const files = await vscode.workspace.findFiles(
    folder ? new vscode.RelativePattern(folder, inventoryGlob) : inventoryGlob,
    '**/{node_modules,.git,group_vars,host_vars}/**',
    200,
  );
  const items: (vscode.QuickPickItem & { path?: string })[] = files
    .map((uri) => ({ label: folder ? relative(folder.uri.fsPath, uri.fsPath) : uri.fsPath, path: uri.fsPath }))
    .sort((a, b) => (a.path === current ? -1 : b.path === current ? 1 : a.label.localeCompare(b.label)));
  items.push({ label: '$(folder-opened) Browse…' });
  const choice = await vscode.window.showQuickPick(items, { title: 'Inventory for this run', placeHolder: 'Pick an inventory file', ignoreFocusOut: true });
  if (!choice) return undefined;
  if (choice.path) return choice.path;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, defaultUri: folder?.uri, openLabel: 'Use as inventory' });
  return picked?.[0]?.fsPath;
}

/**
 * The run request for a playbook. `ask` prompts for every option (prefilled with the remembered ones); otherwise
 * only a missing inventory is asked for. Returns undefined when the user cancels.
 */
export async function buildRequest(state: vscode.Memento, playbook: vscode.Uri, ask: boolean): Promise<RunRequest | undefined> {
  const folder = vscode.workspace.getWorkspaceFolder(playbook);
  const cwd = folder?.uri.fsPath ?? vscode.Uri.joinPath(playbook, '..').fsPath;
  const settings = readSettings(playbook);
  const memory = remembered(state, playbook.fsPath);
  let inventory = settings.inventory ? resolvePath(settings.inventory, cwd) : memory.inventory;
  if (!inventory || (ask && !settings.inventory)) {
    inventory = await pickInventory(folder, inventory);
    if (!inventory) return undefined;
  }
  const request: RunRequest = {
    playbook: playbook.fsPath,
    cwd,
    inventory,
    limit: memory.limit,
    tags: memory.tags,
    skipTags: memory.skipTags,
    extraVars: memory.extraVars,
    engine: memory.engine ?? settings.engine,
  };
  if (ask) {
    const limit = await vscode.window.showInputBox({ title: 'Limit (--limit)', prompt: 'Host pattern; empty for all hosts', value: request.limit ?? '', ignoreFocusOut: true });
    if (limit === undefined) return undefined;
    const tags = await vscode.window.showInputBox({ title: 'Tags (--tags)', prompt: 'Comma-separated; empty for all', value: request.tags ?? '', ignoreFocusOut: true });
    if (tags === undefined) return undefined;
    const extraVars = await vscode.window.showInputBox({ title: 'Extra vars (-e)', prompt: 'key=value pairs, JSON, or @file', value: request.extraVars ?? '', ignoreFocusOut: true });
    if (extraVars === undefined) return undefined;
    const engine = await vscode.window.showQuickPick(
      [
        { label: 'bundled', description: 'built-in SSH engine, no Ansible needed' },
        { label: 'ansible', description: 'your ansible-playbook with the Playbook Studio callback' },
      ].sort((a) => (a.label === request.engine ? -1 : 1)),
      { title: 'Engine', ignoreFocusOut: true },
    );
    if (!engine) return undefined;
    Object.assign(request, { limit: limit || undefined, tags: tags || undefined, extraVars: extraVars || undefined, engine: engine.label as Engine });
  }
  await state.update(memoryKey(playbook.fsPath), {
    inventory: settings.inventory ? memory.inventory : request.inventory,
    limit: request.limit,
    tags: request.tags,
    skipTags: request.skipTags,
    extraVars: request.extraVars,
    // only an engine picked in "Run with options" is pinned to the playbook; otherwise the setting keeps applying
    engine: ask ? request.engine : memory.engine,
  } satisfies Remembered);
  return request;
}

/** The CLI's `run` arguments for a request under the current settings. */
export function cliRunArgs(request: RunRequest, journal: string): string[] {
  const settings = readSettings(vscode.Uri.file(request.playbook));
  const args = ['run', request.playbook, '-i', request.inventory];
  if (request.limit) args.push('-l', request.limit);
  if (request.tags) args.push('-t', request.tags);
  if (request.skipTags) args.push('--skip-tags', request.skipTags);
  if (request.extraVars) args.push('-e', request.extraVars);
  for (const play of request.plays ?? []) args.push('--play', play);
  args.push('--forks', String(settings.forks));
  args.push('--engine', request.engine);
  if (request.engine === 'ansible' && settings.ansiblePlaybookPath) {
    // a bare name (ansible-playbook-3.11) is looked up on PATH by the CLI; a path is folder-relative like the others
    const path = settings.ansiblePlaybookPath;
    args.push('--ansible-playbook', /[/\\~]/.test(path) ? resolvePath(path, request.cwd) : path);
  }
  if (settings.ansibleCoreVersion) args.push('--core-version', settings.ansibleCoreVersion);
  const knownHosts = resolvePath(settings.knownHostsPath, request.cwd);
  if (knownHosts) args.push('--known-hosts', knownHosts);
  const privateKey = resolvePath(settings.privateKeyPath, request.cwd);
  if (privateKey) args.push('--private-key', privateKey);
  args.push('--host-key-policy', settings.hostKeyPolicy);
  if (!settings.instantJoins) args.push('--no-instant-joins');
  args.push('--journal', journal, '--events', '-');
  return args;
}
