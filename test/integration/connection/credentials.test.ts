/**
 * Key sources against the real sshd: an encrypted key file (passphrase asked through the callback) and
 * ssh-agent (SSH_AUTH_SOCK), with an agent this test starts and stops by PID.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectionPool, SshConnection } from '../../../runtime/connection/ssh';
import { sshd } from '../../host/sshd';
import { hermeticOptions, localTempDir } from './helpers';

const dir = localTempDir('credentials');
const encryptedKey = join(dir, 'id_encrypted');
copyFileSync(sshd().privateKey, encryptedKey);
// few KDF rounds: the default 16 costs seconds per unlock on a busy CI machine
execFileSync('ssh-keygen', ['-q', '-p', '-a', '2', '-P', '', '-N', 'correct horse', '-f', encryptedKey]);

const agentSocket = join(dir, 'agent.sock');
const agent = spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: 'ignore' });
afterAll(() => {
  agent.kill();
});

async function waitForAgent(): Promise<void> {
  for (let i = 0; i < 200 && !existsSync(agentSocket); i++) await new Promise((r) => setTimeout(r, 10));
  execFileSync('ssh-add', [sshd().privateKey], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket }, stdio: 'ignore' });
}

describe('credentials', () => {
  it('an encrypted key: the passphrase callback is asked once per connect, with the key path', async () => {
    const asked: string[] = [];
    const connection = new SshConnection(hermeticOptions({ keyFiles: [encryptedKey], passphrasePrompt: async (file) => (asked.push(file), 'correct horse') }));
    try {
      expect((await connection.exec('echo unlocked')).stdout).toBe('unlocked\n');
      expect(asked).toEqual([encryptedKey]);
    } finally {
      await connection.close();
    }
  });

  it('one pool, 8 hosts, one encrypted key: the passphrase is asked once; a slow answer does not time out', async () => {
    let asked = 0;
    const { host: _h, ...defaults } = hermeticOptions({ keyFiles: [encryptedKey], connectTimeoutMs: 3000 });
    const pool = new ConnectionPool({
      ...defaults,
      passphrasePrompt: async () => {
        asked++;
        // longer than the connect timeout: the handshake timer is paused while the user types
        await new Promise((r) => setTimeout(r, 3500));
        return 'correct horse';
      },
    });
    try {
      const results = await Promise.all(sshd().hosts.slice(0, 8).map((host) => pool.get({ host }).exec('echo ok')));
      expect(results.map((r) => r.stdout)).toEqual(Array(8).fill('ok\n'));
      expect(asked).toBe(1);
    } finally {
      await pool.closeAll();
    }
  });

  it('a wrong or missing passphrase fails authentication saying why', async () => {
    const wrong = new SshConnection(hermeticOptions({ keyFiles: [encryptedKey], passphrasePrompt: async () => 'wrong' }));
    await expect(wrong.exec('true')).rejects.toThrow(`Tried: key file ${encryptedKey} (encrypted; wrong or missing passphrase).`);
    const declined = new SshConnection(hermeticOptions({ keyFiles: [encryptedKey], passphrasePrompt: async () => undefined }));
    await expect(declined.exec('true')).rejects.toThrow(`Tried: key file ${encryptedKey} (encrypted, no passphrase given).`);
    await Promise.all([wrong.close(), declined.close()]);
  });

  it('ssh-agent keys are used when no key file is given', async () => {
    await waitForAgent();
    const connection = new SshConnection(hermeticOptions({ keyFiles: [], agent: agentSocket }));
    try {
      expect((await connection.exec('echo via-agent')).stdout).toBe('via-agent\n');
    } finally {
      await connection.close();
    }
  });
});
