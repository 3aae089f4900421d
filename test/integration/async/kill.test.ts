/** --kill-jobs-on-cancel: killJob stops the job's whole process group and records its end for every reader. */
import { afterAll, expect, test } from 'vitest';
import { killJob, runAsyncTask } from '../../../runtime/async';
import { readJobStatus } from '../../../runtime/async/status';
import { commandScript, connect, recorder, remote, sleepMs, uniqueAsyncDir } from './helpers';

const connection = connect(6);
afterAll(() => connection.close());

test.each([false, true])('kills a running job and its children (without setsid: %s)', async (withoutSetsid) => {
  const asyncDir = uniqueAsyncDir('kill');
  const tag = `41.${Math.floor(Math.random() * 1e6)}`;
  const launched = await runAsyncTask({ connection, host: 'h7', taskId: 't', task: 'long', script: commandScript(`sleep ${tag} & wait`), asyncSeconds: 600, poll: 0, asyncDir, coreVersion: '2.14', emit: recorder().emit, instantJoins: true, withoutSetsid });
  const jid = launched.ansible_job_id as string;
  const count = async () => Number((await remote(connection, `pgrep -f '^sleep ${tag.replace('.', '[.]')}' | wc -l`)).trim());
  // the launch returns before the job's module has necessarily reached its sleep
  let running = await count();
  for (let i = 0; i < 40 && running === 0; i++) {
    await sleepMs(100);
    running = await count();
  }
  expect(running).toBe(1);
  const outcome = await killJob(connection, asyncDir, jid);
  expect(outcome.killed).toBe(true);
  const status = await readJobStatus({ connection, asyncDir, jid, mode: 'status', coreVersion: '2.14' });
  expect(status.result).toMatchObject({ failed: true, msg: 'Job killed on cancel', finished: 1, child_pid: outcome.pid });
  let left = await count();
  for (let i = 0; i < 20 && left > 0; i++) {
    await sleepMs(250);
    left = await count();
  }
  expect(left).toBe(0);
  expect(await killJob(connection, asyncDir, jid)).toEqual({ killed: false });
});
