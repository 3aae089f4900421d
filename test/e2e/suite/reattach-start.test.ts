/**
 * First half of the reload test: start a run whose background jobs outlive the window. The window then closes
 * (the test run ends); reattach.ts, run in a new window on the same workspace, checks the re-attach.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { api, describeRun, e2eConfig, runPlaybook, waitForRun, workspaceRoot } from './helpers';

describe('reload (before)', function () {
  this.timeout(120_000);

  it('leaves a run with background jobs still running', async () => {
    const run = await runPlaybook('reattach.yml');
    const studio = await api();
    // The history lives in this workspace's storage folder, not in global storage.
    assert.match(studio.historyFolder, /[\\/]workspaceStorage[\\/][^\\/]+[\\/]playbook-studio\.playbook-studio[\\/]runs$/);
    const hosts = e2eConfig().hostCount;
    await waitForRun(run, 'every background job to start', () => run.jobs().length === hosts && run.node.plays[0]?.tasks[1]?.hosts.length === hosts);
    assert.ok(run.jobs().every((job) => job.state === 'running'), describeRun(run));
    writeFileSync(
      join(workspaceRoot(), '.e2e', 'reattach.json'),
      JSON.stringify({ runId: run.node.runId, historyFolder: studio.historyFolder, jobs: run.jobs().map((job) => ({ host: job.host, jid: job.jid })), at: Date.now() }),
    );
  });
});
