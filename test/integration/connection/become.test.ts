import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { sshd } from '../../host/sshd';
import { hasSudo, testPool } from './helpers';

const pool = testPool();
afterAll(() => pool.closeAll());

describe('become via sudo on the real sshd', () => {
  if (!hasSudo()) {
    it('reports clearly that sudo is missing on the target', async () => {
      const result = await pool.get({ host: sshd().hosts[0] }).exec('id -un', { becomeUser: 'nobody' });
      expect(result.rc).toBe(127);
      expect(result.becomeFailure).toMatch(/sudo is not installed on the target/);
    });
    return;
  }

  it('runs the command as the become user', async () => {
    const result = await pool.get({ host: sshd().hosts[0] }).exec('id -un; printf %s "$HOME"', { becomeUser: 'nobody' });
    expect(result.becomeFailure).toBeUndefined();
    expect(result.rc).toBe(0);
    // -H sets HOME to the target user's home
    const nobodyHome = execFileSync('sh', ['-c', 'getent passwd nobody | cut -d: -f6'], { encoding: 'utf8' }).trim();
    expect(result.stdout).toBe(`nobody\n${nobodyHome}`);
  });

  it('with a password that sudo does not ask for, stdin reaches the command untouched', async () => {
    // the connecting user is root, so sudo never prompts: the password must not leak into the command's stdin
    const result = await pool.get({ host: sshd().hosts[0] }).exec('cat; id -un', { becomeUser: 'nobody', becomePassword: 'not-asked', stdin: 'payload\n' });
    expect(result).toEqual({ rc: 0, stdout: 'payload\nnobody\n', stderr: '' });
  });

  it('transfers files through become', async () => {
    const connection = pool.get({ host: sshd().hosts[0] });
    const path = `/tmp/ps-become-${process.pid}-${Date.now()}`;
    try {
      await connection.putFile(path, 'as nobody\n', 0o600, { becomeUser: 'nobody' });
      expect((await connection.exec(`stat -c %U:%a ${path}`)).stdout.trim()).toBe('nobody:600');
      expect((await connection.getFile(path, { becomeUser: 'nobody', becomePassword: 'x' })).toString()).toBe('as nobody\n');
    } finally {
      await connection.exec(`rm -f ${path}`);
    }
  });

  it('names an unknown become user', async () => {
    const result = await pool.get({ host: sshd().hosts[0] }).exec('true', { becomeUser: 'no-such-user-ps' });
    expect(result.rc).not.toBe(0);
    expect(result.becomeFailure).toMatch(/unknown user no-such-user-ps/);
  });
});
