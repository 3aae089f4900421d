import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SshConnection } from '../../../runtime/connection/ssh';
import { UnreachableError } from '../../../runtime/connection/types';
import { sshd } from '../../host/sshd';
import { hermeticOptions, localTempDir } from './helpers';

/** A loopback port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function failure(connection: SshConnection): Promise<UnreachableError> {
  const error = await connection.exec('true').then(
    () => undefined,
    (e: unknown) => e,
  );
  await connection.close();
  expect(error).toBeInstanceOf(UnreachableError);
  return error as UnreachableError;
}

describe('unreachable hosts get Ansible-style messages', () => {
  it('connection refused', async () => {
    const port = await closedPort();
    const error = await failure(new SshConnection(hermeticOptions({ name: 'h5', host: '127.0.0.1', port })));
    expect(error.host).toBe('h5');
    expect(error.message).toBe(`Failed to connect to the host via ssh: ssh: connect to host 127.0.0.1 port ${port}: Connection refused`);
  });

  it('unknown host name', async () => {
    const error = await failure(new SshConnection(hermeticOptions({ host: 'no-such-host.invalid' })));
    expect(error.message).toBe('Failed to connect to the host via ssh: ssh: Could not resolve hostname no-such-host.invalid: Name or service not known');
  });

  it('a server that accepts TCP but never speaks SSH times out', async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const started = Date.now();
      const error = await failure(new SshConnection(hermeticOptions({ host: '127.0.0.1', port, connectTimeoutMs: 1500 })));
      expect(error.message).toBe(`Failed to connect to the host via ssh: ssh: connect to host 127.0.0.1 port ${port}: Connection timed out during banner exchange`);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      server.close();
    }
  });

  it('a wrong key: permission denied, listing what was tried', async () => {
    const dir = localTempDir('wrong-key');
    const key = join(dir, 'id_wrong');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const info = sshd();
    const error = await failure(new SshConnection(hermeticOptions({ keyFiles: [key, join(dir, 'missing_key')] })));
    expect(error.message).toBe(
      `Failed to connect to the host via ssh: ${info.user}@${info.hosts[0]}: Permission denied (publickey). Tried: publickey with ${key} (ssh-ed25519); key file ${join(dir, 'missing_key')} (unreadable: ENOENT).`,
    );
  });

  it('no credentials at all says so', async () => {
    const error = await failure(new SshConnection(hermeticOptions({ keyFiles: [] })));
    expect(error.message).toMatch(/Permission denied \(publickey\)\. Tried: nothing: no key file, no ssh-agent/);
  });

  it('a host that closes after connect is unreachable, not a crash', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const error = await failure(new SshConnection(hermeticOptions({ host: '127.0.0.1', port })));
      expect(error.message).toMatch(/^Failed to connect to the host via ssh: .*(closed|reset)/i);
    } finally {
      server.close();
    }
  });
});
