import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../../runtime/connection/known-hosts';
import { SshConnection } from '../../../runtime/connection/ssh';
import { HostKeyMismatchError, UnreachableError } from '../../../runtime/connection/types';
import { sshd } from '../../host/sshd';
import { hermeticOptions, localTempDir } from './helpers';

const opened: SshConnection[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

function connectWith(knownHostsFile: string, overrides: Parameters<typeof hermeticOptions>[0] = {}): SshConnection {
  const connection = new SshConnection(hermeticOptions({ knownHostsFiles: [knownHostsFile], ...overrides }));
  opened.push(connection);
  return connection;
}

/** The test host's real key as "type base64" and its OpenSSH fingerprint (from ssh-keygen, not our code). */
function hostKey(): { line: string; fingerprint: string } {
  const info = sshd();
  const line = readFileSync(info.hostPublicKey, 'utf8').split(' ').slice(0, 2).join(' ');
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', info.hostPublicKey], { encoding: 'utf8' }).split(' ')[1];
  return { line, fingerprint };
}

function otherKey(dir: string): { line: string; fingerprint: string } {
  const path = join(dir, 'other');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path]);
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path + '.pub'], { encoding: 'utf8' }).split(' ')[1];
  return { line: readFileSync(path + '.pub', 'utf8').split(' ').slice(0, 2).join(' '), fingerprint };
}

const hostName = (): string => `[${sshd().hosts[0]}]:${sshd().port}`;

describe('host key verification against the real sshd', () => {
  it('computes the same fingerprint as ssh-keygen', () => {
    const { line, fingerprint } = hostKey();
    expect(fingerprintOf(Buffer.from(line.split(' ')[1], 'base64'))).toBe(fingerprint);
  });

  it('connects when known_hosts has the key ([host]:port form)', async () => {
    const dir = localTempDir('kh-match');
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `# comment\n\n${hostName()} ${hostKey().line}\n`);
    expect((await connectWith(file).exec('echo ok')).stdout).toBe('ok\n');
  });

  it('refuses a changed key, naming both SHA256 fingerprints', async () => {
    const dir = localTempDir('kh-mismatch');
    const file = join(dir, 'known_hosts');
    const other = otherKey(dir);
    writeFileSync(file, `${hostName()} ${other.line}\n`);
    for (const policy of ['strict', 'accept-new', 'prompt'] as const) {
      let prompted = false;
      const error = await connectWith(file, { hostKeyPolicy: policy, hostKeyPrompt: async () => (prompted = true) })
        .exec('echo should-not-run')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostKeyMismatchError);
      const message = (error as Error).message;
      expect(message).toContain(other.fingerprint);
      expect(message).toContain(hostKey().fingerprint);
      expect(prompted).toBe(false);
    }
    // the file was not touched
    expect(readFileSync(file, 'utf8')).toBe(`${hostName()} ${other.line}\n`);
  });

  it('strict: refuses an unknown host and says how to trust it', async () => {
    const file = join(localTempDir('kh-strict'), 'known_hosts');
    const error = await connectWith(file, { hostKeyPolicy: 'strict' }).exec('true').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toMatch(/^Failed to connect to the host via ssh: no host key is known for .*strict.*SHA256:/);
    expect((error as Error).message).toContain(hostKey().fingerprint);
  });

  it('accept-new: records an unknown key, then trusts it', async () => {
    const dir = localTempDir('kh-accept');
    const file = join(dir, 'sub', 'known_hosts');
    expect((await connectWith(file, { hostKeyPolicy: 'accept-new' }).exec('echo first')).stdout).toBe('first\n');
    expect(readFileSync(file, 'utf8')).toBe(`${hostName()} ${hostKey().line}\n`);
    // the recorded line is usable by OpenSSH itself
    const found = execFileSync('ssh-keygen', ['-F', hostName(), '-f', file], { encoding: 'utf8' });
    expect(found).toContain(hostKey().line);
    expect((await connectWith(file, { hostKeyPolicy: 'strict' }).exec('echo again')).stdout).toBe('again\n');
  });

  it('prompt: asks with host, port, key type and fingerprint; yes records, no refuses', async () => {
    const dir = localTempDir('kh-prompt');
    const file = join(dir, 'known_hosts');
    const asked: unknown[][] = [];
    const refuse = connectWith(file, { hostKeyPolicy: 'prompt', hostKeyPrompt: async (...args) => (asked.push(args), false) });
    const error = await refuse.exec('true').catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/was not accepted/);
    expect(asked).toEqual([[sshd().hosts[0], sshd().port, 'ssh-ed25519', hostKey().fingerprint]]);
    const accept = connectWith(file, { hostKeyPolicy: 'prompt', hostKeyPrompt: async () => true });
    expect((await accept.exec('echo yes')).stdout).toBe('yes\n');
    expect(readFileSync(file, 'utf8')).toContain(hostKey().line);
  });

  it('prompt: a slow answer is not cut off by the connect timeout', async () => {
    const file = join(localTempDir('kh-slow-prompt'), 'known_hosts');
    const connection = connectWith(file, {
      hostKeyPolicy: 'prompt',
      connectTimeoutMs: 3000,
      hostKeyPrompt: () => new Promise((resolve) => setTimeout(() => resolve(true), 3500)),
    });
    expect((await connection.exec('echo patient')).stdout).toBe('patient\n');
  });

  it('matches hashed entries written by ssh-keygen -H', async () => {
    const dir = localTempDir('kh-hashed');
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `${hostName()} ${hostKey().line}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('|1|')).toBe(true);
    expect(text).not.toContain(sshd().hosts[0]);
    expect((await connectWith(file).exec('echo hashed')).stdout).toBe('hashed\n');
  });

  it('a hashed entry with another key is a mismatch too', async () => {
    const dir = localTempDir('kh-hashed-mismatch');
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `${hostName()} ${otherKey(dir).line}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    await expect(connectWith(file).exec('true')).rejects.toBeInstanceOf(HostKeyMismatchError);
  });

  it('refuses a key marked @revoked even when it is also listed', async () => {
    const dir = localTempDir('kh-revoked');
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `${hostName()} ${hostKey().line}\n@revoked * ${hostKey().line}\n`);
    await expect(connectWith(file).exec('true')).rejects.toThrow(/marked as revoked/);
  });
});
