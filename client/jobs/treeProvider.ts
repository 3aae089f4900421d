/**
 * The Jobs view: the store's runs as a tree, refreshed at most 10 times a second however fast events arrive, and
 * once a second while something runs (elapsed times, time left). The view's badge counts running jobs.
 */
import * as vscode from 'vscode';
import { childrenOf, type TreeNode } from './model';
import type { RunStore } from './store';
import { nodeText, runningJobCount } from './labels';

export const refreshIntervalMs = 100;

export class JobsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private pending: NodeJS.Timeout | undefined;
  private lastFire = 0;
  private ticker: NodeJS.Timeout | undefined;
  private readonly subscription: { dispose(): void };
  /** refreshes actually sent to the view (for the throttle's tests) */
  refreshCount = 0;
  private view: vscode.TreeView<TreeNode> | undefined;

  constructor(private readonly store: RunStore) {
    this.subscription = store.onDidChange(() => this.schedule());
  }

  attach(view: vscode.TreeView<TreeNode>): void {
    this.view = view;
    this.updateBadge();
  }

  getChildren(node?: TreeNode): TreeNode[] {
    return node ? childrenOf(node) : this.store.nodes();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    const run = this.store.get(node.runId)?.node;
    if (!run || node.kind === 'run') return undefined;
    if (node.kind === 'play') return run;
    for (const play of run.plays) {
      if (node.kind === 'task' && play.tasks.includes(node)) return play;
      for (const task of play.tasks) {
        if (node.kind === 'host' && task.hosts.includes(node)) return task;
        for (const host of task.hosts) if (node.kind === 'job' && host.jobs.includes(node)) return host;
      }
    }
    return undefined;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const text = nodeText(node, Date.now());
    const item = new vscode.TreeItem(text.label, this.collapsible(node));
    item.id = node.key;
    item.description = text.description;
    item.tooltip = text.tooltip;
    item.iconPath = new vscode.ThemeIcon(text.icon, text.color ? new vscode.ThemeColor(text.color) : undefined);
    item.contextValue = this.contextValue(node);
    item.command = { command: 'playbookStudio.openResult', title: 'Open Result', arguments: [node] };
    return item;
  }

  /**
   * Nodes that will have children are never shown as leaves first: VS Code keeps an item collapsed when it turns
   * from a leaf into a parent, so a run, its plays and tasks, and the hosts of async tasks start expanded.
   */
  private collapsible(node: TreeNode): vscode.TreeItemCollapsibleState {
    const { Collapsed, Expanded, None } = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'run':
        return this.store.list()[0]?.node === node || node.live ? Expanded : Collapsed;
      case 'play':
        return Expanded;
      case 'task':
        return node.async || node.hosts.length === 0 || node.hosts.some((h) => h.jobs.length || h.state === 'failed' || h.state === 'retrying' || h.state === 'running') ? Expanded : Collapsed;
      case 'host':
        return node.jobs.length || node.expectsJobs ? Expanded : None;
      case 'job':
        return None;
    }
  }

  private contextValue(node: TreeNode): string {
    switch (node.kind) {
      case 'run':
        return node.live ? 'run.live' : 'run.done';
      case 'job':
        return node.state === 'running' ? 'job.running' : 'job.ended';
      default:
        return node.kind;
    }
  }

  /** Coalesces change signals: one refresh now if the last was ≥ 100 ms ago, otherwise one at the 100 ms mark. */
  private schedule(): void {
    if (this.pending) return;
    const wait = Math.max(0, this.lastFire + refreshIntervalMs - Date.now());
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.lastFire = Date.now();
      this.refreshCount++;
      this.changed.fire(undefined);
      this.updateBadge();
      this.updateTicker();
    }, wait);
  }

  private updateTicker(): void {
    const live = this.store.list().some((run) => run.node.live);
    if (live && !this.ticker) this.ticker = setInterval(() => this.schedule(), 1000);
    else if (!live && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  private updateBadge(): void {
    if (!this.view) return;
    const running = this.store.list().reduce((n, run) => n + runningJobCount(run.node), 0);
    const liveRuns = this.store.list().filter((run) => run.node.live).length;
    this.view.badge = running
      ? { value: running, tooltip: `${running} job${running === 1 ? '' : 's'} running` }
      : liveRuns
        ? { value: liveRuns, tooltip: `${liveRuns} run${liveRuns === 1 ? '' : 's'} in progress` }
        : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    if (this.pending) clearTimeout(this.pending);
    if (this.ticker) clearInterval(this.ticker);
    this.changed.dispose();
  }
}
