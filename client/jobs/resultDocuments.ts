/**
 * Read-only documents for a node's result (`playbook-studio-result:` URIs): the JSON Ansible would register,
 * rebuilt from the store on every read so an open result follows a running job.
 */
import * as vscode from 'vscode';
import { findNode, type TreeNode } from './model';
import type { RunStore } from './store';
import { basename } from './labels';

export const resultScheme = 'playbook-studio-result';

export function resultUri(node: TreeNode): vscode.Uri {
  const name = (node.kind === 'job' ? `${node.host}-${node.jid}` : node.kind === 'host' ? node.host : node.kind === 'run' ? basename(node.playbook) : node.kind).replace(/[^\w.-]+/g, '_');
  return vscode.Uri.from({ scheme: resultScheme, path: `/${node.runId}/${name}.json`, query: node.key });
}

export function resultContent(node: TreeNode): unknown {
  switch (node.kind) {
    case 'run':
      return { playbook: node.playbook, state: node.state, rc: node.rc, stats: node.stats ?? {}, warnings: node.warnings };
    case 'play':
      return { play: node.name, hosts: node.hosts, tasks: node.tasks.map((t) => t.name) };
    case 'task':
      return Object.fromEntries(node.hosts.map((h) => [h.host, h.result ?? { state: h.state }]));
    case 'host':
      return node.items.length ? { ...(node.result ?? {}), results: node.items.map((i) => i.result) } : (node.result ?? { state: node.state });
    case 'job':
      return node.result ?? { ansible_job_id: node.jid, state: node.state, started: 1, finished: node.state === 'running' ? 0 : 1 };
  }
}

export class ResultDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: { dispose(): void };
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly store: RunStore) {
    this.subscription = store.onDidChange(() => {
      this.pending ??= setTimeout(() => {
        this.pending = undefined;
        for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === resultScheme) this.changed.fire(doc.uri);
      }, 500);
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const runId = uri.path.split('/')[1];
    const run = this.store.get(runId)?.node;
    const node = run ? findNode(run, uri.query) : undefined;
    if (!node) return JSON.stringify({ error: 'this result is no longer in the Jobs view' }, null, 2) + '\n';
    return JSON.stringify(resultContent(node), null, 2) + '\n';
  }

  dispose(): void {
    this.subscription.dispose();
    if (this.pending) clearTimeout(this.pending);
    this.changed.dispose();
  }
}
