/**
 * Running playbooks from VS Code against the real test sshd: the Jobs tree fills from the runtime's events and
 * every async job reaches `finished`; results open read-only; failed tasks become diagnostics until the next run;
 * Stop ends a run.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { describe, it, before } from 'mocha';
import { api, describeRun, e2eConfig, playbookUri, runPlaybook, waitFor, waitForRun, waitRunEnded } from './helpers';
import type { TreeNode } from '../../../client/jobs/model';
import { statusText } from '../../../client/jobs/labels';
import type { PlaybookStudioApi } from '../../../client/extension';

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** Walks the tree exactly as the view does: getChildren from the root, getTreeItem for each node. */
function walkTree(studio: PlaybookStudioApi): { node: TreeNode; item: vscode.TreeItem; depth: number }[] {
  const out: { node: TreeNode; item: vscode.TreeItem; depth: number }[] = [];
  const visit = (nodes: TreeNode[], depth: number) => {
    for (const node of nodes) {
      out.push({ node, item: studio.tree.getTreeItem(node), depth });
      visit(studio.tree.getChildren(node), depth + 1);
    }
  };
  visit(studio.tree.getChildren(), 0);
  return out;
}

describe('running playbooks', function () {
  this.timeout(180_000);
  let studio: PlaybookStudioApi;
  const hosts = () => e2eConfig().hostCount;

  before(async () => {
    studio = await api();
  });

  it('fills the Jobs tree and every job node reaches finished', async () => {
    const refreshesBefore = studio.tree.refreshCount;
    const started = Date.now();
    const run = await runPlaybook('jobs.yml');
    await waitForRun(run, 'the first job to start', () => run.jobs().length > 0);
    // While the run is live it is the first root of the tree.
    const live = walkTree(studio);
    assert.equal(live[0].node, run.node);
    await waitRunEnded(run);
    const elapsed = Date.now() - started;
    assert.equal(run.node.state, 'ok', describeRun(run));
    assert.equal(run.node.rc, 0);

    // Tree item ids are unique (VS Code's tree breaks on duplicates).
    const ids = walkTree(studio).map((row) => row.item.id);
    assert.equal(new Set(ids).size, ids.length, `duplicate tree ids: ${ids.filter((id, i) => ids.indexOf(id) !== i).join(', ')}`);

    // run → play → task → host → job, with the job nodes of both async tasks.
    const rows = walkTree(studio).filter((row) => row.node.runId === run.node.runId);
    const jobs = rows.filter((row) => row.node.kind === 'job');
    assert.equal(jobs.length, hosts() * 2, `one background and one polled job per host: ${describeRun(run)}`);
    for (const row of jobs) {
      assert.equal(row.depth, 4);
      assert.equal((row.node as { state: string }).state, 'finished', describeRun(run));
      assert.match(String(row.item.description), /^finished · \d+s · rc 0/);
      assert.equal((row.item.iconPath as vscode.ThemeIcon).id, 'pass');
    }
    // Join updates land on the join's own task: no extra task node keyed by file:line.
    const tasks = rows.filter((row) => row.node.kind === 'task').map((row) => labelOf(row.item));
    assert.deepEqual(tasks, ['Start a background job', 'Polled job', 'Join the background job']);
    assert.equal(run.node.taskCount, 3);
    const joinHosts = rows.filter((row) => row.node.kind === 'host' && row.node.taskId === run.node.plays[0].tasks[2].taskId);
    assert.equal(joinHosts.length, hosts());
    for (const row of joinHosts) {
      assert.match(labelOf(row.item), /^h\d+$/);
      assert.match(String(row.item.description), /^(ok|changed)/);
      assert.deepEqual(studio.tree.getChildren(row.node), [], 'a join has no job nodes of its own: the job stays under its launch');
    }

    // The view never refreshed more than 10 times a second (plus the first immediate one).
    const refreshes = studio.tree.refreshCount - refreshesBefore;
    assert.ok(refreshes <= Math.ceil(elapsed / 100) + 1, `${refreshes} refreshes in ${elapsed} ms`);
    assert.ok(refreshes > 0);

    // Selecting a job opens its result read-only, as Ansible registers it.
    const job = jobs[0];
    assert.equal(job.item.command?.command, 'playbookStudio.openResult');
    const uri = await vscode.commands.executeCommand<string>('playbookStudio.openResult', job.node);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)!;
    assert.ok(doc, 'result document is open');
    const result = JSON.parse(doc.getText()) as Record<string, unknown>;
    assert.equal(result.rc, 0);
    assert.equal(doc.uri.scheme, 'playbook-studio-result');
    assert.notEqual(vscode.workspace.fs.isWritableFileSystem(doc.uri.scheme), true, 'results are not writable');

    // Go to Task jumps to the task's line in the playbook.
    const target = await vscode.commands.executeCommand<string>('playbookStudio.goToTask', job.node);
    assert.match(target, /jobs\.yml:6$/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, playbookUri('jobs.yml').fsPath);
    assert.equal(vscode.window.activeTextEditor?.selection.active.line, 5);
  });

  it('Clean Up Job on a job node cleans that job only', async () => {
    const run = studio.store.list().find((r) => r.node.playbook.endsWith('jobs.yml') && r.node.state === 'ok')!;
    assert.ok(run, 'the jobs.yml run of the first test');
    // The background jobs were joined with async_status, which leaves their status files (as Ansible does).
    const background = run.jobs().filter((job) => job.background);
    assert.equal(background.length, hosts(), describeRun(run));
    assert.ok(background.every((job) => job.state === 'finished'), describeRun(run));
    const [target, ...others] = background;
    const code = await vscode.commands.executeCommand<number | null>('playbookStudio.cleanupJob', target);
    assert.equal(code, 0);
    // A finished job keeps its state; the node says its status file is gone.
    assert.equal(target.state, 'finished');
    assert.match(String(studio.tree.getTreeItem(target).description), /status file removed/);
    for (const job of others) assert.doesNotMatch(String(studio.tree.getTreeItem(job).description), /removed/, `only ${target.host}/${target.jid} was cleaned`);
    // the journal says so too, so a reloaded window shows the same
    const journal = readFileSync(studio.runs.journalOf(run.node.runId)!, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { event: string; jid?: string });
    const cleaned = new Set(journal.filter((e) => e.event === 'job_cleaned').map((e) => e.jid));
    assert.deepEqual(background.filter((job) => cleaned.has(job.jid)).map((job) => job.jid), [target.jid]);
  });

  it('the ▶ code lens above a play runs that play only, and the status bar counts its tasks', async () => {
    const uri = playbookUri('plays.yml');
    await vscode.window.showTextDocument(uri);
    const lenses = await waitFor('the run lenses of both plays', async () => {
      const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
      const run = all.filter((lens) => lens.command?.command === 'playbookStudio.runPlaybook');
      return run.length === 2 ? run : undefined;
    }, 30_000, 250);
    const second = lenses.sort((a, b) => a.range.start.line - b.range.start.line)[1];
    assert.equal(second.range.start.line, 8, 'on the second play');
    const runId = await vscode.commands.executeCommand<string>(second.command!.command, ...(second.command!.arguments ?? []));
    const run = studio.store.get(runId)!;
    await waitForRun(run, 'the task count', () => run.node.taskCount !== undefined);
    assert.equal(run.node.taskCount, 2);
    assert.match(statusText(run.node), /^▶ plays\.yml [0-2]\/2/);
    await waitRunEnded(run);
    assert.equal(run.node.state, 'ok', describeRun(run));
    assert.deepEqual(run.node.plays.map((p) => p.name), ['Second play']);
    assert.deepEqual(run.node.plays[0].tasks.map((t) => t.name), ['Second play, task one', 'Second play, task two']);
    assert.equal(statusText(run.node), '▶ plays.yml 2/2');
    // Re-run repeats the same selection
    const again = studio.store.get(await vscode.commands.executeCommand<string>('playbookStudio.rerun', run.node))!;
    await waitRunEnded(again);
    assert.deepEqual(again.node.plays.map((p) => p.name), ['Second play']);
  });

  it('shows failed tasks as diagnostics on their lines until the next run', async () => {
    const failing = await runPlaybook('fail.yml');
    await waitRunEnded(failing);
    assert.equal(failing.node.state, 'failed', describeRun(failing));
    assert.equal(failing.node.rc, 2);
    const uri = playbookUri('fail.yml');
    const diagnostics = await waitFor('run diagnostics', () => {
      const list = studio.runDiagnostics.get(uri) ?? [];
      return list.length === hosts() ? list : undefined;
    }, 10_000);
    for (const d of diagnostics) {
      assert.equal(d.range.start.line, 8, 'on the "- name: This fails" line');
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.match(d.message, /^h\d+: /);
    }
    const next = await runPlaybook('jobs.yml');
    await waitFor('diagnostics cleared by the next run', () => (studio.runDiagnostics.get(uri) ?? []).length === 0, 10_000);
    await waitRunEnded(next);
    assert.equal(next.node.state, 'ok', describeRun(next));
  });

  it('keeps no_log output out of the tree, the results and the journal', async () => {
    const run = await runPlaybook('nolog.yml');
    await waitRunEnded(run);
    assert.equal(run.node.state, 'ok', describeRun(run));
    const shown = walkTree(studio)
      .filter((row) => row.node.runId === run.node.runId)
      .map((row) => `${labelOf(row.item)} ${String(row.item.description ?? '')} ${String(row.item.tooltip ?? '')}`)
      .join('\n');
    assert.doesNotMatch(shown, /s3cr3t/);
    const hostsShown = run.node.plays[0].tasks.flatMap((t) => t.hosts);
    assert.equal(hostsShown.length, e2eConfig().hostCount * 2);
    for (const host of hostsShown) {
      const uri = await vscode.commands.executeCommand<string>('playbookStudio.openResult', host);
      const text = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)!.getText();
      assert.doesNotMatch(text, /s3cr3t/);
      assert.match(text, /censored|no_log/i, 'the result says it was censored');
    }
    const journal = studio.runs.journalOf(run.node.runId)!;
    const journalText = readFileSync(journal, 'utf8');
    assert.ok(journalText.length > 0);
    assert.doesNotMatch(journalText, /s3cr3t/);
  });

  it('Stop Run cancels a run', async () => {
    const run = await runPlaybook('stop.yml');
    await waitForRun(run, 'the slow task to start on every host', () => run.node.plays[0]?.tasks[0]?.hosts.length === hosts());
    const stoppedAt = Date.now();
    const stopped = await vscode.commands.executeCommand<boolean>('playbookStudio.stopRun');
    assert.equal(stopped, true);
    await waitRunEnded(run, 30_000);
    assert.equal(run.node.state, 'cancelled');
    assert.ok(Date.now() - stoppedAt < 15_000, 'the process ended well before the 60 s task');
    assert.equal(studio.runs.isLive(run.node.runId), false);
  });

  it('Re-run repeats the last run with the same options', async () => {
    const first = studio.store.list().find((r) => r.node.playbook.endsWith('stop.yml'))!;
    const runId = await vscode.commands.executeCommand<string>('playbookStudio.rerun', first.node);
    const again = studio.store.get(runId)!;
    assert.notEqual(again, first);
    assert.equal(again.node.playbook, first.node.playbook);
    assert.ok(studio.runs.stop(runId));
    await waitRunEnded(again, 30_000);
  });
});
