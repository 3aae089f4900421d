/**
 * Second half of the reload test, in a new window on the same workspace: the Jobs tree shows the previous window's
 * run from its journal and re-attaches (`jobs attach`) to the jobs that were still running, until each finishes.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { api, describeRun, waitFor, workspaceRoot } from './helpers';

describe('reload (after)', function () {
  this.timeout(120_000);

  it('shows the previous run and re-attaches to its running jobs', async () => {
    const activatedAt = Date.now();
    const before = JSON.parse(readFileSync(join(workspaceRoot(), '.e2e', 'reattach.json'), 'utf8')) as { runId: string; historyFolder: string; jobs: { host: string; jid: string }[] };
    const studio = await api();
    assert.match(studio.historyFolder, /[\\/]workspaceStorage[\\/]/);
    // A web window's workspace storage id includes the address it was opened with: this second window has a new
    // port, so a new folder, which adopted the previous folder's runs (journals moved along).
    console.log(`workspace storage folder ${studio.historyFolder === before.historyFolder ? 'unchanged' : `changed: ${before.historyFolder} -> ${studio.historyFolder}`}`);
    const run = studio.store.get(before.runId);
    assert.ok(run, `run ${before.runId} restored from history; have ${studio.store.list().map((r) => r.node.runId).join(', ')}`);
    assert.equal(studio.tree.getChildren().includes(run.node), true, 'the run is a root of the Jobs tree');
    // The old window's runtime process died with it (killed, or stopped on its signal): the run is over, its
    // background jobs are not.
    assert.ok(['interrupted', 'cancelled', 'failed', 'error'].includes(run.node.state), describeRun(run));
    assert.deepEqual(
      run.jobs().map((job) => `${job.host}/${job.jid}`).sort(),
      before.jobs.map((job) => `${job.host}/${job.jid}`).sort(),
    );
    assert.ok(studio.runs.journalOf(run.node.runId)?.startsWith(studio.historyFolder), 'the journal lives in this window\'s history folder');
    await waitFor('every job to finish after re-attaching', () => run.jobs().every((job) => job.state === 'finished'), 90_000, 200);
    for (const job of run.jobs()) {
      assert.equal(job.rc, 0, describeRun(run));
      // polls come from the job_status events `jobs attach --events -` streams (the final outcome line has none)
      assert.ok(job.polls >= 1, `job events reached the tree: ${describeRun(run)}`);
      assert.ok((job.endedAt ?? 0) >= activatedAt - 5_000, 'the end was observed by this window');
    }
  });
});
