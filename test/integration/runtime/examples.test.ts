/**
 * The article's playbooks, in runnable variants (test/fixtures/runtime/examples), run for real over SSH:
 * downloads come from a loopback HTTP server started here, apt/systemctl/make are stubs on the target's PATH.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeInventory } from '../../host/sshd';
import { recapLines, remoteScratch, runFiles, tempDir } from './helpers';

const FIXTURES = resolve(__dirname, '..', '..', 'fixtures', 'runtime', 'examples');
let server: Server;
let baseUrl = '';
let release: Buffer;
const requests: string[] = [];

beforeAll(async () => {
  const src = tempDir('ps-release-');
  mkdirSync(join(src, 'bin'));
  writeFileSync(join(src, 'bin', 'myapp'), '#!/bin/sh\necho myapp 3.1.0\n');
  execFileSync('tar', ['-czf', join(src, 'release.tar.gz'), '-C', src, 'bin']);
  release = readFileSync(join(src, 'release.tar.gz'));
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.url?.endsWith('.tar.gz') || req.url?.endsWith('.csv.gz')) {
      res.writeHead(200, { 'Content-Type': 'application/gzip' });
      res.end(req.url.endsWith('.tar.gz') ? release : Buffer.from(`data for ${req.url}\n`));
    } else if (req.url?.startsWith('/api/') || req.url?.startsWith('/health') || req.url?.startsWith('/alert')) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok": true}');
    } else {
      res.writeHead(404);
      res.end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

function workspace(hosts: number, groups: string) {
  const dir = tempDir();
  const root = remoteScratch('example');
  mkdirSync(root, { recursive: true });
  const inventory = writeInventory(join(dir, 'inventory'), hosts, groups);
  const stubPath = `${join(FIXTURES, 'stubs')}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin`;
  return { root, inventory, extra: JSON.stringify({ root, base_url: baseUrl, stub_path: stubPath, alert_webhook: `${baseUrl}/alert`, release_checksum: createHash('sha256').update(release).digest('hex') }) };
}

async function run(name: string, hosts: number, groups = '') {
  const w = workspace(hosts, groups);
  return { ...w, run: () => runFiles(join(FIXTURES, name), [w.inventory], { extraVars: [w.extra], forks: 5 }) };
}

function script(path: string, body: string) {
  mkdirSync(resolve(path, '..'), { recursive: true });
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

describe('article playbooks, runnable variants', () => {
  it('basic-async-status: apt dist-upgrade as a job, joined by async_status', async () => {
    const w = await run('basic-async-status.yml', 2);
    const o = await w.run();
    expect(o.rc, o.out + o.err).toBe(0);
    expect(readFileSync(join(w.root, 'stub.log'), 'utf8')).toMatch(/apt-get .*dist-upgrade/);
    expect(recapLines(o.out)[0]).toMatch(/ok=3 +changed=2 .*failed=0/);
  });

  it('multi-async-wait: three parallel jobs (download, make, script) all joined', async () => {
    const w = await run('multi-async-wait.yml', 2);
    mkdirSync(join(w.root, 'source'), { recursive: true });
    script(join(w.root, 'scripts', 'generate-certs.sh'), 'sleep 1; echo certs');
    const o = await w.run();
    expect(o.rc, o.out + o.err).toBe(0);
    expect(readFileSync(join(w.root, 'myapp-v2.tar.gz'))).toEqual(release);
    expect(o.out).toContain('All background tasks completed. Starting deployment.');
  });

  it('async-loop-wait: a job per loop item, waited per item with labels, then asserted', async () => {
    const w = await run('async-loop-wait.yml', 1, '\n[data_servers]\nh1\n');
    mkdirSync(join(w.root, 'data'), { recursive: true });
    const o = await w.run();
    expect(o.rc, o.out + o.err).toBe(0);
    expect(o.out).toContain('(item=transactions)');
    for (const n of ['users', 'transactions', 'products']) expect(readFileSync(join(w.root, 'data', `${n}.csv.gz`), 'utf8')).toBe(`data for /${n}.csv.gz\n`);
  });

  it('async-error-handling: a failing migration takes the failure branch and rolls back', async () => {
    const w = await run('async-error-handling.yml', 1);
    script(join(w.root, 'bin', 'migrate'), `echo "$*" >> "${'$'}(dirname "$0")/calls"; [ "$1" = --rollback ] && exit 0; echo boom >&2; exit 3`);
    const o = await w.run();
    expect(o.rc, o.out + o.err).toBe(0);
    expect(o.out).toContain('Migration failed: boom');
    expect(readFileSync(join(w.root, 'bin', 'calls'), 'utf8')).toBe('--all\n--rollback\n');
    expect(o.results.find((e) => e.task === 'Handle migration success')?.event).toBe('runner_on_skipped');
  });

  it('async-cleanup: job joined, status file cleaned, old files found and deleted', async () => {
    const w = await run('async-cleanup.yml', 1);
    script(join(w.root, 'scripts', 'long-task.sh'), 'sleep 1; echo long');
    mkdirSync(join(w.root, 'old_async'), { recursive: true });
    writeFileSync(join(w.root, 'old_async', 'j1.1'), '{}');
    execFileSync('touch', ['-d', '3 days ago', join(w.root, 'old_async', 'j1.1')]);
    writeFileSync(join(w.root, 'old_async', 'j2.2'), '{}');
    const o = await w.run();
    expect(o.rc, o.out + o.err).toBe(0);
    expect(existsSync(join(w.root, 'old_async', 'j1.1'))).toBe(false);
    expect(existsSync(join(w.root, 'old_async', 'j2.2'))).toBe(true);
  });

  it('inspect-status: a running job reports finished 0 and its results file', async () => {
    const w = await run('inspect-status.yml', 1);
    const o = await w.run();
    expect(o.rc, o.out + o.err).toBe(0);
    const shown = o.results.find((e) => e.task === 'Display status details')?.result.msg as string[];
    expect(shown[1]).toBe('Finished: 0');
    expect(shown[3]).toMatch(/^Results file: .*\.ansible_async\/j\d+\.\d+$/);
  });

  it('rolling-async-deploy: serial batches, LB calls from the controller, checksum download, unarchive, health check', async () => {
    const w = await run('rolling-async-deploy.yml', 3, '\n[webservers]\nh1\nh2\nh3\n');
    for (const h of ['h1', 'h2', 'h3']) {
      mkdirSync(join(w.root, h, 'opt', 'myapp', 'current'), { recursive: true });
      mkdirSync(join(w.root, h, 'opt', 'myapp', 'backups'), { recursive: true });
      writeFileSync(join(w.root, h, 'opt', 'myapp', 'current', 'old.txt'), 'old release');
      writeFileSync(join(w.root, h, 'myapp.active'), '');
    }
    requests.length = 0;
    const o = await w.run();
    expect(o.rc, o.out + o.err).toBe(0);
    for (const h of ['h1', 'h2', 'h3']) {
      expect(readFileSync(join(w.root, h, 'opt', 'myapp', 'current', 'bin', 'myapp'), 'utf8')).toContain('3.1.0');
      expect(existsSync(join(w.root, h, 'opt', 'myapp', 'current', 'old.txt'))).toBe(false);
      expect(readFileSync(join(w.root, `${h}-stub.log`), 'utf8')).toMatch(/systemctl stop myapp[\s\S]*systemctl start myapp/);
      expect(requests).toContain(`POST /api/remove/${h}`);
      expect(requests).toContain(`POST /api/add/${h}`);
    }
    expect(o.out).toContain(`ok: [h1 -> localhost]`);
  });
});
