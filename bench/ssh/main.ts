/**
 * The SSH connection layer against the raw floor, measured side by side in one run on a private sshd:
 *   (a) 1 host × 50 sequential `/bin/true`: one bare ssh2 Client (Nagle off) vs ConnectionPool.exec
 *       (target: within 2× of the floor), with and without the connect;
 *   (b) 50 hosts × 10 parallel `/bin/true` through one ConnectionPool (fresh connections, then warm), peak RSS.
 * Runs alternate (floor, pool, floor, pool, ...) so machine drift hits both alike; medians are reported.
 *
 *   node scripts/run-ts.mjs bench/ssh/main.ts [rounds]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'ssh2';
import { ConnectionPool } from '../../runtime/connection/ssh';

interface SshdInfo {
  port: number;
  user: string;
  hosts: string[];
  privateKey: string;
  knownHosts: string;
}

const root = resolve(__dirname, '..', '..');
// run-ts bundles into out/run/, so find the project by its test host script instead of trusting __dirname
const projectRoot = existsSync(join(root, 'test', 'host', 'start-sshd.sh')) ? root : process.cwd();
const sshdDir = join(projectRoot, '.scratch', 'bench-ssh-layer');
const HOSTS = 50;
const EXECS = 50;
const PER_HOST = 10;
const rounds = Number(process.argv[2] ?? 5);

function startSshd(): { info: SshdInfo; startedHere: boolean } {
  const startedHere = !existsSync(join(sshdDir, 'pids'));
  const out = execFileSync(join(projectRoot, 'test', 'host', 'start-sshd.sh'), [sshdDir, String(HOSTS)], { encoding: 'utf8' });
  return { info: JSON.parse(readFileSync(out.trim().split('\n').pop()!, 'utf8')) as SshdInfo, startedHere };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function rawConnect(info: SshdInfo, host: string): Promise<Client> {
  return new Promise((resolveClient, reject) => {
    const sock = netConnect({ host, port: info.port });
    sock.setNoDelay(true);
    const client = new Client();
    client.on('ready', () => resolveClient(client)).on('error', reject);
    client.connect({ sock, username: info.user, privateKey: readFileSync(info.privateKey), hostVerifier: () => true });
  });
}

function rawExec(client: Client, command: string): Promise<number> {
  return new Promise((resolveExec, reject) => {
    client.exec(command, (error, channel) => {
      if (error) return reject(error);
      let code = -1;
      channel.on('exit', (c: number) => (code = c));
      channel.on('close', () => resolveExec(code));
      channel.resume();
      channel.stderr.resume();
    });
  });
}

function newPool(info: SshdInfo): ConnectionPool {
  return new ConnectionPool({
    port: info.port,
    user: info.user,
    keyFiles: [info.privateKey],
    knownHostsFiles: [info.knownHosts],
    hostKeyPolicy: 'strict',
    sshConfigFile: false,
    defaultKeyFiles: false,
    agent: false,
    // 50 simultaneous handshakes on a small machine can take longer than the interactive default of 10 s
    connectTimeoutMs: 60_000,
  });
}

async function floorRun(info: SshdInfo): Promise<{ total: number; execs: number }> {
  const start = performance.now();
  const client = await rawConnect(info, info.hosts[0]);
  const connected = performance.now();
  for (let i = 0; i < EXECS; i++) if ((await rawExec(client, '/bin/true')) !== 0) throw new Error('raw exec failed');
  const end = performance.now();
  client.end();
  return { total: end - start, execs: end - connected };
}

async function poolRun(info: SshdInfo): Promise<{ total: number; execs: number }> {
  const pool = newPool(info);
  const start = performance.now();
  const connection = pool.get({ host: info.hosts[0] });
  await connection.connect();
  const connected = performance.now();
  for (let i = 0; i < EXECS; i++) if ((await connection.exec('/bin/true')).rc !== 0) throw new Error('pool exec failed');
  const end = performance.now();
  await pool.closeAll();
  return { total: end - start, execs: end - connected };
}

async function fanOut(pool: ConnectionPool, info: SshdInfo): Promise<number> {
  const start = performance.now();
  await Promise.all(
    info.hosts.slice(0, HOSTS).map(async (host) => {
      const connection = pool.get({ host });
      const results = await Promise.all(Array.from({ length: PER_HOST }, () => connection.exec('/bin/true')));
      if (results.some((r) => r.rc !== 0)) throw new Error(`exec failed on ${host}`);
    }),
  );
  return performance.now() - start;
}

async function main(): Promise<void> {
  const { info, startedHere } = startSshd();
  try {
    const floor: Array<{ total: number; execs: number }> = [];
    const pooled: Array<{ total: number; execs: number }> = [];
    await floorRun(info); // warm caches (key parsing, sshd forks) before measuring
    await poolRun(info);
    for (let i = 0; i < rounds; i++) {
      floor.push(await floorRun(info));
      pooled.push(await poolRun(info));
    }
    const cold: number[] = [];
    const warm: number[] = [];
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    for (let i = 0; i < Math.max(1, Math.min(rounds, 3)); i++) {
      const pool = newPool(info);
      cold.push(await fanOut(pool, info));
      warm.push(await fanOut(pool, info));
      await pool.closeAll();
    }
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    const f = { total: median(floor.map((r) => r.total)), execs: median(floor.map((r) => r.execs)) };
    const p = { total: median(pooled.map((r) => r.total)), execs: median(pooled.map((r) => r.execs)) };
    const ms = (n: number): string => `${n.toFixed(0)} ms`;
    console.log(`(a) 1 host × ${EXECS} sequential /bin/true, median of ${rounds} alternating runs`);
    console.log(`    raw ssh2 floor      total ${ms(f.total).padStart(8)}   execs only ${ms(f.execs).padStart(8)}  (${(f.execs / EXECS).toFixed(2)} ms/exec)`);
    console.log(`    ConnectionPool.exec total ${ms(p.total).padStart(8)}   execs only ${ms(p.execs).padStart(8)}  (${(p.execs / EXECS).toFixed(2)} ms/exec)`);
    const ratio = p.total / f.total;
    console.log(`    ratio pool/floor    total ${ratio.toFixed(2)}×   execs only ${(p.execs / f.execs).toFixed(2)}×   target ≤ 2×: ${ratio <= 2 ? 'met' : 'MISSED'}`);
    console.log(`(b) ${HOSTS} hosts × ${PER_HOST} parallel /bin/true through one pool`);
    console.log(`    fresh connections ${ms(median(cold)).padStart(8)}   warm ${ms(median(warm)).padStart(8)}   (${(median(warm) / (HOSTS * PER_HOST)).toFixed(2)} ms per host-task warm)`);
    console.log(`    peak RSS of this process ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
    console.log(JSON.stringify({ bench: 'ssh', floor: f, pool: p, ratio, fanOut: { cold: median(cold), warm: median(warm), peakRssMb: peakRss / 1024 / 1024 } }));
  } finally {
    if (startedHere) execFileSync(join(projectRoot, 'test', 'host', 'stop-sshd.sh'), [sshdDir]);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
