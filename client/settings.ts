/**
 * The `playbookStudio.*` settings, read fresh each time (a run uses the values at its start) and turned into the
 * runtime CLI's options. Relative paths resolve against the playbook's workspace folder.
 */
import * as vscode from 'vscode';
import { isAbsolute, join } from 'node:path';
import { homedir } from 'node:os';

export type Engine = 'bundled' | 'ansible';
export type HostKeyPolicy = 'strict' | 'accept-new' | 'prompt';

export interface Settings {
  inventory: string;
  engine: Engine;
  forks: number;
  privateKeyPath: string;
  knownHostsPath: string;
  hostKeyPolicy: HostKeyPolicy;
  ansibleCoreVersion: string;
  instantJoins: boolean;
  ansiblePlaybookPath: string;
}

export function readSettings(scope?: vscode.Uri): Settings {
  const config = vscode.workspace.getConfiguration('playbookStudio', scope);
  return {
    inventory: config.get<string>('inventory', ''),
    engine: config.get<Engine>('engine', 'bundled'),
    forks: config.get<number>('forks', 5),
    privateKeyPath: config.get<string>('privateKeyPath', ''),
    knownHostsPath: config.get<string>('knownHostsPath', ''),
    hostKeyPolicy: config.get<HostKeyPolicy>('hostKeyPolicy', 'prompt'),
    ansibleCoreVersion: config.get<string>('ansibleCoreVersion', '2.19'),
    instantJoins: config.get<boolean>('instantJoins', true),
    ansiblePlaybookPath: config.get<string>('ansiblePlaybookPath', ''),
  };
}

/** `~/x` and folder-relative paths made absolute; '' stays ''. */
export function resolvePath(path: string, folder: string | undefined): string {
  if (!path) return '';
  if (path === '~' || path.startsWith('~/')) return join(homedir(), path.slice(1));
  if (isAbsolute(path) || !folder) return path;
  return join(folder, path);
}
