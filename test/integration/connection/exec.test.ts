import { existsSync, readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { shellQuote } from '../../../runtime/connection/quote';
import { sshd } from '../../host/sshd';
import { testPool, uniqueRemotePath } from './helpers';

const pool = testPool();
afterAll(() => pool.closeAll());

describe('SshConnection exec against the real sshd', () => {
  it('returns rc, stdout and stderr separately', async () => {
    const connection = pool.get({ host: sshd().hosts[0] });
    const result = await connection.exec('echo out; echo err >&2; exit 7');
    expect(result).toEqual({ rc: 7, stdout: 'out\n', stderr: 'err\n' });
  });

  it('keeps stdout/stderr exact for an abortable command that completes', async () => {
    const connection = pool.get({ host: sshd().hosts[0] });
    const result = await connection.exec("echo out; printf 'e1\\ne2' >&2; exit 3", { signal: new AbortController().signal });
    expect(result).toEqual({ rc: 3, stdout: 'out\n', stderr: 'e1\ne2' });
  });

  it('feeds stdin and decodes UTF-8 split across packets', async () => {
    const connection = pool.get({ host: sshd().hosts[0] });
    const text = 'héllo wörld ✓ '.repeat(20_000);
    const result = await connection.exec('cat', { stdin: text });
    expect(result.rc).toBe(0);
    expect(result.stdout).toBe(text);
  });

  it('reports a signal death as 128 + signal number', async () => {
    const connection = pool.get({ host: sshd().hosts[0] });
    const result = await connection.exec('kill -TERM $$');
    expect(result.rc).toBe(143);
  });

  it('runs 50 commands in parallel on one connection (queued under the channel cap)', async () => {
    const connection = pool.get({ host: sshd().hosts[0] });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => connection.exec(`echo ${i}`)));
    expect(results.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
    expect(pool.get({ host: sshd().hosts[0] })).toBe(connection);
  });

  it('reaches 8 hosts in parallel, each its own connection', async () => {
    const hosts = sshd().hosts.slice(0, 8);
    const results = await Promise.all(hosts.map((host) => pool.get({ host }).exec('echo $SSH_CONNECTION')));
    // SSH_CONNECTION = "client_ip client_port server_ip server_port": each host was really dialled
    expect(results.map((r) => r.stdout.split(' ')[2])).toEqual(hosts);
  });

  it('aborts a running command through AbortSignal and the remote process dies', async () => {
    const connection = pool.get({ host: sshd().hosts[1] });
    const pidFile = uniqueRemotePath('abort-pid');
    const controller = new AbortController();
    const running = connection.exec(`echo $$ > ${shellQuote(pidFile)}; exec sleep 60`, { signal: controller.signal });
    // abort once the command is known to be running
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') await new Promise((r) => setTimeout(r, 20));
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    controller.abort();
    await expect(running).rejects.toThrow(/abort/i);
    let alive = true;
    for (let i = 0; i < 250 && alive; i++) {
      alive = (await connection.exec(`kill -0 ${pid}`)).rc === 0;
      if (alive) await new Promise((r) => setTimeout(r, 20));
    }
    expect(alive).toBe(false);
    rmSync(pidFile, { force: true });
  });

  it('puts and gets binary files, with a mode', async () => {
    const connection = pool.get({ host: sshd().hosts[2] });
    const path = uniqueRemotePath('file with spaces');
    const content = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 256));
    try {
      await connection.putFile(path, content, 0o640);
      expect((await connection.getFile(path)).equals(content)).toBe(true);
      expect((await connection.exec(`stat -c %a ${shellQuote(path)}`)).stdout.trim()).toBe('640');
      await expect(connection.getFile(path + '.missing')).rejects.toThrow(/cannot read .*No such file/);
    } finally {
      rmSync(path, { force: true });
    }
  });
});
