/**
 * Reconnect after a dropped link, against a private sshd this test starts, stops and restarts on the same port.
 * Stopping sshd's listener leaves established sessions alive (each is its own process), so the test also ends the
 * session processes of that private sshd, which it started itself: that is the dropped connection.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SshConnection } from '../../../runtime/connection/ssh';
import { UnreachableError } from '../../../runtime/connection/types';
import { projectRoot, type SshdInfo } from '../../host/sshd';
import { hermeticOptions, localTempDir } from './helpers';

const dir = localTempDir('reconnect-sshd');
const script = (name: string): string => join(projectRoot, 'test', 'host', name);

function start(port?: number): SshdInfo {
  const out = execFileSync(script('start-sshd.sh'), [dir, '1'], { encoding: 'utf8', env: { ...process.env, ...(port ? { PS_SSHD_PORT: String(port) } : {}) } });
  return JSON.parse(readFileSync(out.trim().split('\n').pop()!, 'utf8')) as SshdInfo;
}

function childrenOf(pid: number): number[] {
  const result: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // the ppid is the second field after the parenthesised command name
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) result.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return result;
}

/** Stops the private sshd and ends its established sessions: the client's TCP connection drops. */
function dropEverything(): void {
  const listeners = readFileSync(join(dir, 'pids'), 'utf8').trim().split(/\s+/).map(Number);
  const sessions = listeners.flatMap(childrenOf);
  execFileSync(script('stop-sshd.sh'), [dir]);
  for (const pid of sessions) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

afterAll(() => {
  execFileSync(script('stop-sshd.sh'), [dir]);
});

describe('reconnect after the connection drops', () => {
  it('a command issued while the host is down waits for it to come back; without it, unreachable by the deadline', async () => {
    const info = start();
    const options = hermeticOptions({ host: info.hosts[0], port: info.port, keyFiles: [info.privateKey], knownHostsFiles: [info.knownHosts] });
    const connection = new SshConnection({ ...options, reconnectDeadlineMs: 30_000 });
    try {
      const before = await connection.exec('echo $PPID');
      expect(before.rc).toBe(0);

      dropEverything();
      const during = connection.exec('echo back');
      // bring the host back on the same port a little later; the pending command must then succeed
      await new Promise((resolve) => setTimeout(resolve, 500));
      start(info.port);
      const after = await during;
      expect(after).toEqual({ rc: 0, stdout: 'back\n', stderr: '' });
      // a new session process served it
      expect((await connection.exec('echo $PPID')).stdout).not.toBe(before.stdout);
    } finally {
      await connection.close();
    }

    // now down for good: a short deadline turns into UnreachableError, not a hang
    const short = new SshConnection({ ...options, reconnectDeadlineMs: 1500 });
    try {
      expect((await short.exec('echo up')).stdout).toBe('up\n');
      dropEverything();
      const started = Date.now();
      const error = await short.exec('true').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnreachableError);
      expect((error as Error).message).toMatch(/^Failed to connect to the host via ssh: (ssh: connect to host 127\.0\.0\.1 port \d+: Connection refused|Shared connection to 127\.0\.0\.1 closed\.)$/);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await short.close();
    }
  });
});
