/**
 * Instant joins for async_status + until: waitBeforeRetry wakes on the job's status-file change, one watcher
 * per host shared by every waiting job (a persistent stream, or a long-poll exec where streams are not
 * available), and attempt counts stay what Ansible's sleeps give.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runAsyncTask } from '../../../runtime/async';
import { asyncStatusModule } from '../../../runtime/async/async-status';
import type { Connection, ExecOptions } from '../../../runtime/connection/types';
import type { TaskResult } from '../../../runtime/events/types';
import { asyncStatusContext, commandScript, connect, recorder, uniqueAsyncDir } from './helpers';

const ssh = connect(3);
const counts = { watch: 0, status: 0, other: 0, streams: 0, streamReads: 0 };
/** the SSH connection without streams (the long-poll fallback), counting execs by kind */
const longPollConnection: Connection = {
  host: ssh.host,
  exec(command: string, options?: ExecOptions) {
    if (command.includes('CURRENT')) counts.watch++;
    else if (command.includes('CONTENT')) counts.status++;
    else counts.other++;
    return ssh.exec(command, options);
  },
  putFile: (p, c, m) => ssh.putFile(p, c, m),
  getFile: (p) => ssh.getFile(p),
  close: () => ssh.close(),
};
/** the same with the persistent watcher stream */
const connection: Connection = {
  ...longPollConnection,
  async openStream(command: string) {
    counts.streams++;
    const stream = await ssh.openStream(command);
    return {
      ...stream,
      write(data: string) {
        counts.streamReads += data.split('\n').filter((line) => line.startsWith('R ')).length;
        return stream.write(data);
      },
    };
  },
};
beforeAll(() => ssh.exec('true'));
afterAll(() => ssh.close());


/** the executor's until loop in miniature: retries 30, delay as given */
async function join(jid: string, asyncDir: string, delay: number, instantJoins: boolean, via = connection): Promise<{ result: TaskResult; attempts: number }> {
  const ctx = asyncStatusContext(via, 'h4', jid, asyncDir, { line: 9, instantJoins });
  for (let attempt = 1; attempt <= 31; attempt++) {
    const result = await asyncStatusModule.run(ctx);
    if (result.finished === 1) return { result, attempts: attempt };
    await asyncStatusModule.waitBeforeRetry!(ctx, delay);
  }
  throw new Error('not finished');
}

test.each(['stream', 'long-poll'])('five jobs on one host joined at once (%s): every end noticed early, Ansible attempt counts', async (mechanism) => {
  const via = mechanism === 'stream' ? connection : longPollConnection;
  const asyncDir = uniqueAsyncDir(`instant-${mechanism}`);
  const rec = recorder();
  const streamsBefore = counts.streams;
  const launched = await Promise.all(
    [1, 1.5, 2, 2.5, 3].map((seconds) =>
      runAsyncTask({ connection: via, host: 'h4', taskId: 't', task: 'launch', script: commandScript(`sleep ${seconds}`), asyncSeconds: 60, poll: 0, asyncDir, coreVersion: '2.14', emit: rec.emit, instantJoins: true }),
    ),
  );
  const before = { ...counts };
  const started = Date.now();
  const joins = await Promise.all(launched.map((l) => join(l.ansible_job_id as string, asyncDir, 10, true, via)));
  const elapsed = Date.now() - started;
  // with delay 10 Ansible sees each of these (all shorter than 10 s) on its 2nd attempt; so do we, without the sleep
  for (const j of joins) {
    expect(j.attempts).toBe(2);
    expect(j.result).toMatchObject({ rc: 0, finished: 1 });
  }
  expect(elapsed).toBeLessThan(10_000);
  if (mechanism === 'stream') {
    // status reads: exactly one per attempt, through the open stream once it is there
    expect(counts.status - before.status + (counts.streamReads - before.streamReads)).toBe(10);
    expect(counts.streamReads - before.streamReads).toBeGreaterThanOrEqual(5);
    // one open channel told what to watch: no watcher exec at all
    expect(counts.watch - before.watch).toBe(0);
    // (opened by the first launch, which the other launches then went through)
    expect(counts.streams - streamsBefore).toBeGreaterThanOrEqual(1);
    expect(counts.streams - streamsBefore).toBeLessThanOrEqual(2);
  } else {
    // status reads: exactly one exec per attempt
    expect(counts.status - before.status).toBe(10);
    // watcher execs: bounded by the changes, not by jobs × polls
    expect(counts.streams - before.streams).toBe(0);
    expect(counts.watch - before.watch).toBeGreaterThanOrEqual(1);
    expect(counts.watch - before.watch).toBeLessThanOrEqual(12);
  }
});

test('instant joins off: waitBeforeRetry sleeps exactly the delay', async () => {
  const asyncDir = uniqueAsyncDir('exact');
  const rec = recorder();
  const launchedResult = await runAsyncTask({ connection, host: 'h4', taskId: 't', task: 'launch', script: commandScript('sleep 0.5'), asyncSeconds: 60, poll: 0, asyncDir, coreVersion: '2.14', emit: rec.emit, instantJoins: false });
  const ctx = asyncStatusContext(connection, 'h4', launchedResult.ansible_job_id as string, asyncDir, { line: 9, instantJoins: false });
  const first = await asyncStatusModule.run(ctx);
  expect(first.finished).toBe(0);
  counts.watch = 0;
  const t0 = Date.now();
  await asyncStatusModule.waitBeforeRetry!(ctx, 2);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(1990);
  expect(counts.watch).toBe(0);
  expect((await asyncStatusModule.run(ctx)).finished).toBe(1);
});
