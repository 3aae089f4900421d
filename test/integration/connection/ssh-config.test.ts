import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectionPool } from '../../../runtime/connection/ssh';
import { sshd } from '../../host/sshd';
import { hermeticOptions, localTempDir } from './helpers';

const pools: ConnectionPool[] = [];
afterAll(() => Promise.all(pools.map((p) => p.closeAll())));

function poolWithConfig(text: string): ConnectionPool {
  const file = join(localTempDir('ssh-config'), 'config');
  writeFileSync(file, text);
  const { host: _h, port: _p, user: _u, keyFiles: _k, ...rest } = hermeticOptions({ sshConfigFile: file });
  const pool = new ConnectionPool(rest);
  pools.push(pool);
  return pool;
}

describe('~/.ssh/config against the real sshd', () => {
  it('an alias resolves HostName, Port, User and IdentityFile', async () => {
    const info = sshd();
    const pool = poolWithConfig(`Host box-*\n  User ${info.user}\n\nHost box-three\n  HostName ${info.hosts[2]}\n  Port ${info.port}\n  IdentityFile ${info.privateKey}\n`);
    const connection = pool.get({ host: 'box-three' });
    expect(connection.options).toMatchObject({ address: info.hosts[2], port: info.port, user: info.user, keyFiles: [info.privateKey] });
    const result = await connection.exec('echo $SSH_CONNECTION');
    expect(result.stdout.split(' ')[2]).toBe(info.hosts[2]);
  });

  it('UserKnownHostsFile and StrictHostKeyChecking from the config are used for verification', async () => {
    const info = sshd();
    const file = join(localTempDir('ssh-config-kh'), 'config');
    writeFileSync(file, `Host strict-box\n  HostName ${info.hosts[5]}\n  Port ${info.port}\n  User ${info.user}\n  IdentityFile ${info.privateKey}\n  UserKnownHostsFile ${info.knownHosts}\n  StrictHostKeyChecking yes\nHost strict-unknown\n  HostName ${info.hosts[5]}\n  Port ${info.port}\n  User ${info.user}\n  IdentityFile ${info.privateKey}\n  UserKnownHostsFile ${file}.empty\n  StrictHostKeyChecking yes\n`);
    const pool = new ConnectionPool({ sshConfigFile: file, defaultKeyFiles: false, agent: false });
    pools.push(pool);
    expect((await pool.get({ host: 'strict-box' }).exec('echo verified')).stdout).toBe('verified\n');
    await expect(pool.get({ host: 'strict-unknown' }).exec('true')).rejects.toThrow(/host key policy is strict/);
  });

  it('explicit options (inventory vars) win over the config', async () => {
    const info = sshd();
    const pool = poolWithConfig(`Host *\n  Port 1\n  User nobody-here\n`);
    const connection = pool.get({ host: info.hosts[0], port: info.port, user: info.user, keyFiles: [info.privateKey] });
    expect((await connection.exec('echo fine')).stdout).toBe('fine\n');
  });

  it('ProxyJump reaches the target through a forwarded channel of the jump host', async () => {
    const info = sshd();
    const pool = poolWithConfig(
      `Host jump\n  HostName ${info.hosts[0]}\n  Port ${info.port}\n  User ${info.user}\n  IdentityFile ${info.privateKey}\n\nHost behind\n  HostName ${info.hosts[3]}\n  Port ${info.port}\n  User ${info.user}\n  IdentityFile ${info.privateKey}\n  ProxyJump jump\n`,
    );
    const result = await pool.get({ host: 'behind' }).exec('echo $SSH_CONNECTION');
    const [clientIp, , serverIp] = result.stdout.trim().split(' ');
    expect(serverIp).toBe(info.hosts[3]);
    expect(clientIp).toMatch(/^127\./);
    // two pooled connections: the target and the jump host it tunnels through
    expect(pool.size).toBe(2);
  });

  it('a dead jump host makes the target unreachable, naming the jump host', async () => {
    const info = sshd();
    const pool = poolWithConfig(`Host behind2
  HostName ${info.hosts[4]}
  Port ${info.port}
  User ${info.user}
  IdentityFile ${info.privateKey}
  ProxyJump ${info.user}@127.0.0.1:1
`);
    await expect(pool.get({ host: 'behind2' }).exec('true')).rejects.toThrow(/ssh: connect to host 127\.0\.0\.1 port 1: Connection refused/);
  });
});
