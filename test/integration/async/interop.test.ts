/**
 * Interoperability with Debian's real ansible-core: a job started by our wrapper is read by Ansible's own
 * async_status, and a job started by `ansible -B -P 0` (async_wrapper) is read by ours. Absolute async dirs on
 * both sides (the sshd overrides HOME; see truth case 90).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { runAsyncTask } from '../../../runtime/async';
import { shellQuote } from '../../../runtime/connection/quote';
import { asyncStatusModule } from '../../../runtime/async/async-status';
import type { TaskResult } from '../../../runtime/events/types';
import { sshd } from '../../host/sshd';
import { asyncStatusContext, commandScript, connect, recorder, remote, sleepMs, uniqueAsyncDir } from './helpers';

const run = promisify(execFile);
const info = sshd();
const connection = connect(4);
afterAll(() => connection.close());

function inventory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ps-interop-'));
  const path = join(dir, 'inventory');
  writeFileSync(
    path,
    [
      `h5 ansible_host=${info.hosts[4]} ansible_port=${info.port} ansible_user=${info.user}`,
      '[all:vars]',
      `ansible_ssh_private_key_file=${info.privateKey}`,
      'ansible_python_interpreter=/usr/bin/python3',
      `ansible_ssh_common_args='-o UserKnownHostsFile=${info.knownHosts} -o StrictHostKeyChecking=yes'`,
      `ansible_remote_tmp=${info.home}/.ansible/tmp`,
      '',
    ].join('\n'),
  );
  return path;
}

/** runs ad-hoc `ansible` and returns the JSON after "h5 | STATUS =>" */
async function ansible(args: string[]): Promise<TaskResult> {
  const { stdout } = await run('ansible', ['-i', inventory(), 'h5', ...args], {
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0', ANSIBLE_HOST_KEY_CHECKING: 'True' },
    timeout: 60_000,
  }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }));
  const at = stdout.indexOf('=> {');
  if (at < 0) throw new Error(`unexpected ansible output: ${stdout}`);
  return JSON.parse(stdout.slice(at + 3)) as TaskResult;
}


test('a job started by our wrapper is read by ansible async_status (running, then finished)', async () => {
  const asyncDir = uniqueAsyncDir('interop-ours');
  // the job runs until the test lets it finish, however long ansible takes to start
  const gate = `${asyncDir}-gate`;
  const launched = await runAsyncTask({ connection, host: 'h5', taskId: 't', task: 'launch', script: commandScript(`while [ ! -e ${shellQuote(gate)} ]; do sleep 0.2; done; echo from-ours`), asyncSeconds: 120, poll: 0, asyncDir, coreVersion: '2.14', emit: recorder().emit, instantJoins: true });
  const jid = launched.ansible_job_id as string;
  const running = await ansible(['-m', 'async_status', '-a', `jid=${jid}`, '-e', `ansible_async_dir=${asyncDir}`]);
  expect(running).toMatchObject({ ansible_job_id: jid, started: 1, finished: 0, results_file: `${asyncDir}/${jid}` });
  await connection.exec(`touch ${shellQuote(gate)}`);
  // wait (with our reader) for the end, then ask Ansible
  for (let i = 0; i < 80 && (await asyncStatusModule.run(asyncStatusContext(connection, 'h5', jid, asyncDir))).finished !== 1; i++) await sleepMs(250);
  const done = await ansible(['-m', 'async_status', '-a', `jid=${jid}`, '-e', `ansible_async_dir=${asyncDir}`]);
  expect(done).toMatchObject({ ansible_job_id: jid, started: 1, finished: 1, rc: 0, stdout: 'from-ours', stdout_lines: ['from-ours'], changed: true });
}, 90_000);

test('a job started by ansible (async_wrapper, -B 30 -P 0) is read by our async_status', async () => {
  const asyncDir = uniqueAsyncDir('interop-theirs');
  const launched = await ansible(['-m', 'command', '-a', 'sh -c "sleep 1; echo from-ansible"', '-B', '30', '-P', '0', '-e', `ansible_async_dir=${asyncDir}`]);
  const jid = launched.ansible_job_id as string;
  expect(jid).toMatch(/^j\d+\.\d+$/);
  const ctx = asyncStatusContext(connection, 'h5', jid, asyncDir);
  let result = await asyncStatusModule.run(ctx);
  for (let i = 0; i < 30 && result.finished !== 1; i++) {
    await asyncStatusModule.waitBeforeRetry!(ctx, 2);
    result = await asyncStatusModule.run(ctx);
  }
  // what Ansible's wrapper wrote, read without us: our reader must give exactly that, plus async_status's keys
  const written = JSON.parse(await remote(connection, `cat ${shellQuote(`${asyncDir}/${jid}`)}`)) as TaskResult;
  expect(written).toMatchObject({
    rc: 0,
    cmd: ['sh', '-c', 'sleep 1; echo from-ansible'],
    invocation: { module_args: expect.objectContaining({ _raw_params: 'sh -c "sleep 1; echo from-ansible"' }) },
  });
  // (Ansible's own command module once wrote an empty stdout here on a loaded machine: its output is not ours to check)
  const lines = (text: unknown) => (String(text) === '' ? [] : String(text).split('\n'));
  expect(result).toEqual({
    ...written,
    ansible_job_id: jid,
    finished: 1,
    started: 1,
    results_file: `${asyncDir}/${jid}`,
    stdout_lines: lines(written.stdout),
    stderr_lines: lines(written.stderr),
  });
  // and our cleanup removes Ansible's file
  const cleaned = await asyncStatusModule.run({ ...ctx, args: { jid, mode: 'cleanup' } });
  expect(cleaned).toMatchObject({ erased: `${asyncDir}/${jid}`, started: 0, finished: 0 });
}, 90_000);
