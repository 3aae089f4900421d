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
    const before = JSON.parse(readFileSync(join(workspaceRoot(), '.e2e', 'reattach.json'), 'utf8')) as { runId: string; jobs: { host: string; jid: string }[] };
    const studio = await api();
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
    await waitFor('every job to finish after re-attaching', () => run.jobs().every((job) => job.state === 'finished'), 90_000, 200);
    for (const job of run.jobs()) {
      assert.equal(job.rc, 0, describeRun(run));
      assert.ok((job.endedAt ?? 0) >= activatedAt - 5_000, 'the end was observed by this window');
    }
  });
});
