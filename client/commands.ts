/**
 * The extension's commands. Tree commands receive the clicked node; palette invocations fall back to the active
 * editor or the newest run.
 */
import * as vscode from 'vscode';
import { isAbsolute, join } from 'node:path';
import type { JobNode, RunModel, TreeNode } from './jobs/model';
import type { RunStore } from './jobs/store';
import { resultUri } from './jobs/resultDocuments';
import type { RunManager } from './run/runManager';
import { buildRequest } from './run/options';

function toUri(target: unknown): vscode.Uri | undefined {
  if (target instanceof vscode.Uri) return target;
  if (typeof target === 'string') return target.includes('://') || target.startsWith('file:') ? vscode.Uri.parse(target) : vscode.Uri.file(target);
  if (target && typeof target === 'object' && 'fsPath' in target && typeof (target as { fsPath: unknown }).fsPath === 'string') {
    return vscode.Uri.file((target as { fsPath: string }).fsPath);
  }
  return vscode.window.activeTextEditor?.document.uri;
}

function isNode(value: unknown): value is TreeNode {
  return !!value && typeof value === 'object' && 'kind' in value && 'runId' in value && 'key' in value;
}

export function registerCommands(
  context: vscode.ExtensionContext,
  store: RunStore,
  runs: RunManager,
  output: vscode.OutputChannel,
): void {
  const runOf = (node: unknown): RunModel | undefined => (isNode(node) ? store.ofNode(node) : (store.live() ?? store.list()[0]));

  /** `playIndex`: the code lens's 0-based entry of the playbook file, run alone with `--play N`. */
  const startRun = async (target: unknown, ask: boolean, playIndex?: unknown): Promise<string | undefined> => {
    const uri = toUri(target);
    if (!uri) {
      void vscode.window.showErrorMessage('Open a playbook (or pick one in the Explorer) to run it.');
      return undefined;
    }
    const open = vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === uri.toString());
    if (open?.isDirty) await open.save();
    const request = await buildRequest(context.workspaceState, uri, ask);
    if (!request) return undefined;
    if (typeof playIndex === 'number' && Number.isInteger(playIndex) && playIndex >= 0) {
      // ansible-playbook cannot run a single play: with that engine the lens runs the whole playbook
      if (request.engine === 'bundled') request.plays = [String(playIndex + 1)];
      else output.appendLine(`The ansible engine runs whole playbooks: running every play of ${uri.fsPath}.`);
    }
    const model = runs.start(request);
    void vscode.commands.executeCommand('playbookStudio.jobs.focus').then(undefined, () => undefined);
    return model.node.runId;
  };

  const register = (id: string, handler: (...args: unknown[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, handler));

  // Code lens arguments are [uri, playIndex] (that play only); the Explorer passes [uri, selectedUris] (whole playbook).
  register('playbookStudio.runPlaybook', (target, playIndex) => startRun(target, false, playIndex));
  register('playbookStudio.runPlaybookWithOptions', (target, playIndex) => startRun(target, true, playIndex));

  register('playbookStudio.stopRun', (node) => {
    const run = runOf(node);
    if (!run || !runs.stop(run.node.runId)) {
      void vscode.window.showInformationMessage('No run in progress.');
      return false;
    }
    return true;
  });

  register('playbookStudio.rerun', (node) => {
    const run = runOf(node);
    const again = run ? runs.rerun(run.node.runId) : undefined;
    if (!again) void vscode.window.showInformationMessage('No run to repeat yet.');
    return again?.node.runId;
  });

  register('playbookStudio.attachJobs', (node) => {
    const candidates = isNode(node) ? [store.ofNode(node)].filter((r): r is RunModel => !!r) : [...store.list()];
    const attached = candidates.filter((run) => runs.attach(run.node.runId)).map((run) => run.node.runId);
    if (attached.length === 0) void vscode.window.showInformationMessage('No running jobs to attach to.');
    return attached;
  });

  // On a job node `jobs cleanup --jid --host` removes that job's status file; on a run node, those of the run's
  // finished jobs. Running jobs only once confirmed (their results are lost; the jobs themselves keep running).
  register('playbookStudio.cleanupJob', async (node) => {
    if (!isNode(node) || (node.kind !== 'job' && node.kind !== 'run')) {
      void vscode.window.showInformationMessage('Pick a job or a run in the Jobs view to clean up.');
      return null;
    }
    const run = store.ofNode(node);
    if (!run) return null;
    const running = node.kind === 'job' ? (node as JobNode).state === 'running' : run.runningJobs().length > 0;
    let all = false;
    if (running && node.kind === 'job') {
      const answer = await vscode.window.showWarningMessage(
        'This job is still running. Cleaning it up deletes its status file: the job keeps running and its result is lost.',
        { modal: true },
        'Clean Up',
      );
      if (!answer) return null;
      all = true;
    } else if (running) {
      const answer = await vscode.window.showWarningMessage(
        'Some jobs of this run are still running. Cleaning up deletes their status files: the jobs keep running and their results are lost.',
        { modal: true },
        'Finished Jobs Only',
        'All Jobs',
      );
      if (!answer) return null;
      all = answer === 'All Jobs';
    }
    const job = node.kind === 'job' ? (node as JobNode) : undefined;
    return runs.cleanupJobs(run.node.runId, all, job && { jid: job.jid, host: job.host });
  });

  register('playbookStudio.openResult', async (node) => {
    if (!isNode(node)) return undefined;
    const doc = await vscode.workspace.openTextDocument(resultUri(node));
    await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: true });
    return doc.uri.toString();
  });

  register('playbookStudio.goToTask', async (node) => {
    if (!isNode(node)) return undefined;
    const run = store.ofNode(node)?.node;
    let position;
    if (node.kind === 'task') position = node.position;
    else if (node.kind === 'play') position = node.position;
    else if (node.kind === 'host' || node.kind === 'job') {
      const task = run?.plays.flatMap((p) => p.tasks).find((t) => t.taskId === node.taskId);
      position = task?.position;
    } else position = { file: node.playbook, line: 1, column: 1 };
    if (!position) {
      void vscode.window.showInformationMessage('This node has no source position.');
      return undefined;
    }
    const base = run?.cwd ?? (run ? join(run.playbook, '..') : '');
    const file = isAbsolute(position.file) ? position.file : join(base, position.file);
    const line = Math.max(0, position.line - 1);
    const column = Math.max(0, position.column - 1);
    await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(line, column, line, column) });
    return `${file}:${position.line}`;
  });

  register('playbookStudio.showOutput', () => output.show(true));

  register('playbookStudio.removeRun', (node) => {
    const run = runOf(node);
    if (run) runs.forget(run.node.runId);
  });
}
