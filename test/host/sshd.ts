/**
 * Access to the private test sshd started by start-sshd.sh (see global-setup.ts): connection facts and an
 * inventory writer so tests address 127.0.0.x as distinct hosts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface SshdInfo {
  port: number;
  user: string;
  hosts: string[];
  privateKey: string;
  knownHosts: string;
  hostPublicKey: string;
  home: string;
  dir: string;
}

export const projectRoot = resolve(__dirname, '..', '..');
export const sshdDir = process.env.PS_SSHD_DIR ?? join(projectRoot, '.scratch', 'sshd');

/** Starts (or reuses) the test host serving at least `count` addresses and returns its facts. */
export function startSshd(count = 8, dir = sshdDir): SshdInfo {
  const out = execFileSync(join(projectRoot, 'test', 'host', 'start-sshd.sh'), [dir, String(count)], { encoding: 'utf8' });
  return JSON.parse(readFileSync(out.trim().split('\n').pop()!, 'utf8')) as SshdInfo;
}

export function stopSshd(dir = sshdDir): void {
  execFileSync(join(projectRoot, 'test', 'host', 'stop-sshd.sh'), [dir]);
}

/** The running test host's facts; global setup has started it. */
export function sshd(): SshdInfo {
  return JSON.parse(readFileSync(join(sshdDir, 'info.json'), 'utf8')) as SshdInfo;
}

/**
 * Writes an INI inventory with hosts h1..hN at 127.0.0.1..N and the test host's connection vars.
 * `extra` lines are appended (groups, vars).
 */
export function writeInventory(path: string, count = 1, extra = ''): string {
  const info = sshd();
  const lines = ['[test]'];
  for (let i = 0; i < count; i++) lines.push(`h${i + 1} ansible_host=${info.hosts[i]}`);
  lines.push('', '[all:vars]', `ansible_port=${info.port}`, `ansible_user=${info.user}`, `ansible_ssh_private_key_file=${info.privateKey}`, '');
  mkdirSync(resolve(path, '..'), { recursive: true });
  writeFileSync(path, lines.join('\n') + extra);
  return path;
}
