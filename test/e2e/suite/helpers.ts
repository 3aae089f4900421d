/**
 * Shared by the integration tests running inside VS Code's extension host: the extension's API, the test
 * workspace (a copy of test/fixtures/e2e/workspace prepared by scripts/test-e2e.mjs) and polling waits.
 */
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlaybookStudioApi } from '../../../client/extension';
import type { JobNode, RunModel } from '../../../client/jobs/model';

export const extensionId = 'playbook-studio.playbook-studio';

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the e2e tests need the fixture workspace open');
  return folder.uri.fsPath;
}

export function playbookUri(name: string): vscode.Uri {
  return vscode.Uri.file(join(workspaceRoot(), 'playbooks', name));
}

/** Facts about the run prepared by scripts/test-e2e.mjs (sshd info, inventory). */
export interface E2eConfig {
  sshd: { port: number; user: string; hosts: string[]; knownHosts: string; privateKey: string; home: string };
  inventory: string;
  hostCount: number;
  /** an inventory whose key file is encrypted with `passphrase` */
  passphrase: { inventory: string; keyFile: string; passphrase: string };
}

export function e2eConfig(): E2eConfig {
  return JSON.parse(readFileSync(join(workspaceRoot(), '.e2e', 'config.json'), 'utf8')) as E2eConfig;
}

export async function api(): Promise<PlaybookStudioApi> {
  const extension = vscode.extensions.getExtension<PlaybookStudioApi>(extensionId);
  if (!extension) throw new Error(`extension ${extensionId} is not installed in this window`);
  return extension.isActive ? extension.exports : extension.activate();
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      if (error instanceof RunEndedError) throw error;
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export function jobsOf(run: RunModel): JobNode[] {
  return run.jobs();
}

/** Starts a playbook through the real command and returns its run. */
export async function runPlaybook(name: string): Promise<RunModel> {
  const { store } = await api();
  const runId = await vscode.commands.executeCommand<string | undefined>('playbookStudio.runPlaybook', playbookUri(name));
  if (!runId) throw new Error(`Run Playbook did not start a run for ${name}`);
  const run = store.get(runId);
  if (!run) throw new Error(`run ${runId} is not in the Jobs store`);
  return run;
}

export async function waitRunEnded(run: RunModel, timeoutMs = 120_000): Promise<void> {
  await waitFor(`run of ${run.node.playbook} to end (now ${run.node.state})`, () => !run.node.live, timeoutMs);
}

export function describeRun(run: RunModel): string {
  return JSON.stringify(
    {
      state: run.node.state,
      rc: run.node.rc,
      warnings: run.node.warnings,
      jobs: run.jobs().map((j) => ({ host: j.host, jid: j.jid, state: j.state, rc: j.rc })),
      tasks: run.node.plays.flatMap((p) => p.tasks.map((t) => ({ task: t.name, hosts: t.hosts.map((h) => `${h.host}:${h.state}${h.message ? ` (${h.message})` : ''}`) }))),
    },
    null,
    1,
  );
}

/** Waits for a condition on a run; fails at once (with the run's state) when the run ends without meeting it. */
export async function waitForRun<T>(run: RunModel, what: string, probe: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  return waitFor(
    what,
    () => {
      const value = probe();
      if (value !== undefined && value !== false) return value;
      if (!run.node.live) throw new RunEndedError(`the run ended (${run.node.state}, rc ${run.node.rc}) before ${what}: ${describeRun(run)}`);
      return undefined;
    },
    timeoutMs,
  );
}

export class RunEndedError extends Error {}
