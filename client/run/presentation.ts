/**
 * The run's footprint outside the tree: a status bar item (`▶ site.yml 3/12 · 5 jobs`) while a run is live, and
 * failed tasks as diagnostics on their task lines, replaced by the next run.
 */
import * as vscode from 'vscode';
import { isAbsolute, join } from 'node:path';
import type { RunStore } from '../jobs/store';
import type { RunModel } from '../jobs/model';
import { statusText } from '../jobs/labels';

export class RunPresentation implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('playbook-studio-run');
  private readonly status = vscode.window.createStatusBarItem('playbookStudio.run', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: { dispose(): void };
  private diagnosticsRun: string | undefined;
  private failureCount = -1;

  constructor(private readonly store: RunStore) {
    this.status.name = 'Playbook Studio run';
    this.status.command = 'playbookStudio.jobs.focus';
    this.subscription = store.onDidChange((run) => this.update(run));
  }

  private update(run: RunModel | undefined): void {
    const live = this.store.live();
    if (live) {
      this.status.text = statusText(live.node).replace('▶', '$(play)');
      this.status.tooltip = `${live.node.playbook}: click to show the Jobs view`;
      this.status.show();
    } else this.status.hide();
    // Diagnostics follow the newest run; a new run clears the previous one's.
    const newest = this.store.list()[0];
    if (!newest) {
      this.diagnostics.clear();
      return;
    }
    if (newest.node.runId !== this.diagnosticsRun) {
      this.diagnosticsRun = newest.node.runId;
      this.failureCount = -1;
    }
    if (run && run !== newest) return;
    if (newest.failures.length === this.failureCount) return;
    this.failureCount = newest.failures.length;
    this.showFailures(newest);
  }

  private showFailures(run: RunModel): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const base = run.node.cwd ?? (run.node.playbook ? join(run.node.playbook, '..') : '');
    for (const failure of run.failures) {
      const file = isAbsolute(failure.position.file) ? failure.position.file : join(base, failure.position.file);
      const line = Math.max(0, failure.position.line - 1);
      const range = new vscode.Range(line, Math.max(0, failure.position.column - 1), line, Number.MAX_SAFE_INTEGER);
      const who = failure.host ? `${failure.host}: ` : '';
      const diagnostic = new vscode.Diagnostic(range, `${who}${failure.message}`, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'Playbook Studio run';
      diagnostic.code = failure.unreachable ? 'run-unreachable' : 'run-failed';
      const list = byFile.get(file) ?? [];
      list.push(diagnostic);
      byFile.set(file, list);
    }
    this.diagnostics.clear();
    for (const [file, list] of byFile) this.diagnostics.set(vscode.Uri.file(file), list);
  }

  dispose(): void {
    this.subscription.dispose();
    this.diagnostics.dispose();
    this.status.dispose();
  }
}
