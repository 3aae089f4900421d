/**
 * Shared setup for connection tests against the private test sshd: hermetic options (no ~/.ssh/config, no default
 * keys, no agent, the test host's known_hosts under the strict policy) and unique remote paths.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionPool } from '../../../runtime/connection/ssh';
import type { SshOptions } from '../../../runtime/connection/ssh-options';
import { sshd } from '../../host/sshd';

export function hermeticOptions(overrides: Partial<SshOptions> = {}): SshOptions {
  const info = sshd();
  return {
    host: info.hosts[0],
    port: info.port,
    user: info.user,
    keyFiles: [info.privateKey],
    knownHostsFiles: [info.knownHosts],
    hostKeyPolicy: 'strict',
    sshConfigFile: false,
    defaultKeyFiles: false,
    agent: false,
    connectTimeoutMs: 10_000,
    ...overrides,
  };
}

export function testPool(defaults: Partial<SshOptions> = {}): ConnectionPool {
  const { host: _host, ...rest } = hermeticOptions(defaults);
  return new ConnectionPool(rest);
}

/** A path under the remote HOME no other test uses. */
export function uniqueRemotePath(label: string): string {
  return join(sshd().home, `${label}-${randomBytes(6).toString('hex')}`);
}

export function localTempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `ps-${label}-`));
}

/** This machine is the test target too (loopback sshd), so this says whether sudo exists there. */
export function hasSudo(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v sudo'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
