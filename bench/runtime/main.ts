/**
 * The bundled engine side by side with Debian's ansible-playbook over the same private sshd, in one run:
 *   (a) 1 host × 50 `command: /bin/true`
 *   (b) 50 hosts × 10 tasks, forks 50 (+ peak RSS of the whole process tree)
 *   raw floor: one ssh2 connection, 50 sequential `/bin/true` execs
 * Usage: node scripts/run-ts.mjs bench/runtime/main.ts [--skip-ansible] [--no-pipelining-too]
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'ssh2';

const root = resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const skipAnsible = args.includes('--skip-ansible') || !existsSync('/usr/bin/ansible-playbook');
const withoutPipelining = args.includes('--no-pipelining-too');

interface Sshd {
  port: number;
  user: string;
  hosts: string[];
  privateKey: string;
  knownHosts: string;
  home: string;
}

function startSshd(dir: string, count: number): Sshd {
  const out = execFileSync(join(root, 'test', 'host', 'start-sshd.sh'), [dir, String(count)], { encoding: 'utf8' });
  return JSON.parse(readFileSync(out.trim().split('\n').pop()!, 'utf8')) as Sshd;
}

function inventory(info: Sshd, count: number, forAnsible: boolean): string {
  const lines = ['[bench]'];
  for (let i = 0; i < count; i++) lines.push(`b${i + 1} ansible_host=${info.hosts[i]}`);
  lines.push('', '[all:vars]', `ansible_port=${info.port}`, `ansible_user=${info.user}`, `ansible_ssh_private_key_file=${info.privateKey}`);
  if (forAnsible) {
    lines.push(`ansible_ssh_common_args='-o UserKnownHostsFile=${info.knownHosts} -o StrictHostKeyChecking=yes'`);
    // the sshd overrides HOME: keep Ansible's remote dirs absolute (see truth/README)
    lines.push(`ansible_remote_tmp=${info.home}/.ansible/tmp`, `ansible_async_dir=${info.home}/.ansible_async`, 'ansible_python_interpreter=/usr/bin/python3');
  }
  return lines.join('\n') + '\n';
}

function playbook(tasks: number): string {
  const lines = ['- hosts: all', '  gather_facts: false', '  tasks:'];
  for (let i = 0; i < tasks; i++) lines.push(`    - name: task ${i + 1}`, '      command: /bin/true');
  return lines.join('\n') + '\n';
}

/** resident memory of a process and all its descendants, from /proc */
function treeRssKb(rootPid: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      rss.set(Number(entry), Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0));
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

async function timed(command: string, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ seconds: number; peakMb: number; code: number | null; output: string }> {
  const started = performance.now();
  const child = spawn(command, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, treeRssKb(child.pid!))), 100);
  const code = await new Promise<number | null>((r) => child.on('close', r));
  clearInterval(sampler);
  return { seconds: (performance.now() - started) / 1000, peakMb: peak / 1024, code, output };
}

async function rawFloor(info: Sshd, execs: number): Promise<number> {
  const started = performance.now();
  const client = new Client();
  await new Promise<void>((resolveReady, reject) => {
    client.on('ready', resolveReady).on('error', reject);
    client.connect({ host: info.hosts[0], port: info.port, username: info.user, privateKey: readFileSync(info.privateKey) });
  });
  // Nagle off, as our connection does (see notes/ssh-performance.md)
  (client as unknown as { _sock?: { setNoDelay?: (v: boolean) => void } })._sock?.setNoDelay?.(true);
  for (let i = 0; i < execs; i++) {
    await new Promise<void>((done, reject) => {
      client.exec('/bin/true', (error, stream) => {
        if (error) return reject(error);
        stream.on('close', () => done()).resume();
        stream.stderr.resume();
      });
    });
  }
  client.end();
  return (performance.now() - started) / 1000;
}

function row(label: string, seconds: number, extra = ''): string {
  return `${label.padEnd(52)} ${seconds.toFixed(2).padStart(8)} s${extra}`;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'ps-bench-'));
  const cli = join(work, 'cli.js');
  // the CLI from the current sources (esbuild's API cannot run inside this bundle; its binary can)
  execFileSync(join(root, 'node_modules', '.bin', 'esbuild'), [join(root, 'cli', 'main.ts'), '--bundle', '--platform=node', '--target=node20', '--format=cjs', '--log-level=error', `--outfile=${cli}`, '--external:vscode', '--external:cpu-features', '--external:*.node']);
  const sshdDir = join(root, '.scratch', 'bench-sshd');
  const wasRunning = existsSync(join(sshdDir, 'pids'));
  const info = startSshd(sshdDir, 50);
  // stop the 50-address host afterwards unless someone else had started it
  if (!wasRunning) process.on('exit', () => execFileSync(join(root, 'test', 'host', 'stop-sshd.sh'), [sshdDir]));
  mkdirSync(join(info.home, '.ansible', 'tmp'), { recursive: true });
  const files = {
    pbA: join(work, 'a.yml'), pbB: join(work, 'b.yml'),
    invA: join(work, 'inv-a'), invB: join(work, 'inv-b'), ansInvA: join(work, 'ans-inv-a'), ansInvB: join(work, 'ans-inv-b'),
  };
  writeFileSync(files.pbA, playbook(50));
  writeFileSync(files.pbB, playbook(10));
  writeFileSync(files.invA, inventory(info, 1, false));
  writeFileSync(files.invB, inventory(info, 50, false));
  writeFileSync(files.ansInvA, inventory(info, 1, true));
  writeFileSync(files.ansInvB, inventory(info, 50, true));
  const ours = (pb: string, inv: string, forks: number) =>
    timed(process.execPath, [cli, 'run', pb, '-i', inv, '-f', String(forks), '--known-hosts', info.knownHosts, '--host-key-policy', 'strict', '--journal', join(work, `journal-${Date.now()}.jsonl`), '--no-color']);
  const ansible = (pb: string, inv: string, forks: number, pipelining: boolean) =>
    timed('/usr/bin/ansible-playbook', [pb, '-i', inv, '-f', String(forks)], { ANSIBLE_PIPELINING: pipelining ? 'True' : 'False', ANSIBLE_HOST_KEY_CHECKING: 'True', ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCAL_TEMP: join(work, 'ansible-local') });

  console.log(`bench/runtime: sshd on 127.0.0.1-${info.hosts.length} port ${info.port}, ${new Date().toISOString()}`);
  const floor = await rawFloor(info, 50);
  console.log(row('raw floor: ssh2, 1 connection, 50 × /bin/true', floor));

  const a = await ours(files.pbA, files.invA, 5);
  if (a.code !== 0) throw new Error(`bundled (a) failed:\n${a.output}`);
  console.log(row('(a) bundled: 1 host × 50 command', a.seconds, `   ${(a.seconds / floor).toFixed(2)}× the raw floor`));
  const b = await ours(files.pbB, files.invB, 50);
  if (b.code !== 0) throw new Error(`bundled (b) failed:\n${b.output}`);
  console.log(row('(b) bundled: 50 hosts × 10 command, forks 50', b.seconds, `   peak RSS ${b.peakMb.toFixed(0)} MB`));

  if (skipAnsible) {
    console.log('ansible-playbook: skipped (--skip-ansible or /usr/bin/ansible-playbook missing)');
    return;
  }
  const ansA = await ansible(files.pbA, files.ansInvA, 5, true);
  if (ansA.code !== 0) throw new Error(`ansible-playbook (a) failed:\n${ansA.output.slice(-2000)}`);
  console.log(row('(a) ansible-playbook, pipelining', ansA.seconds, `   bundled is ${(ansA.seconds / a.seconds).toFixed(1)}× faster`));
  const ansB = await ansible(files.pbB, files.ansInvB, 50, true);
  if (ansB.code !== 0) throw new Error(`ansible-playbook (b) failed:\n${ansB.output.slice(-2000)}`);
  console.log(row('(b) ansible-playbook, pipelining, forks 50', ansB.seconds, `   bundled is ${(ansB.seconds / b.seconds).toFixed(1)}× faster; peak RSS ${ansB.peakMb.toFixed(0)} MB (${(ansB.peakMb / b.peakMb).toFixed(1)}× ours)`));
  if (withoutPipelining) {
    const ansA0 = await ansible(files.pbA, files.ansInvA, 5, false);
    console.log(row('(a) ansible-playbook, defaults', ansA0.seconds, `   bundled is ${(ansA0.seconds / a.seconds).toFixed(1)}× faster`));
  }
  console.log(`targets: ≥ 10× faster than pipelined ansible-playbook on (a) and (b): ${ansA.seconds / a.seconds >= 10 && ansB.seconds / b.seconds >= 10 ? 'met' : 'NOT met'}; (a) within 2× of the raw floor: ${a.seconds / floor <= 2 ? 'met' : 'NOT met'}`);
}

main().catch((error: unknown) => {
  console.error((error as Error).stack ?? String(error));
  process.exit(1);
});
