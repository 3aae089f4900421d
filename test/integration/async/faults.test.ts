/**
 * Faults: the SSH server stopped and restarted in the middle of a join, a status file truncated to garbage,
 * the controller killed mid-run and `jobs attach` afterwards. In each: no job lost, the right final state, a
 * clear message.
 */
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { runAsyncTask } from '../../../runtime/async';
import { asyncStatusModule } from '../../../runtime/async/async-status';
import { shellQuote } from '../../../runtime/connection/quote';
import { readJournal } from '../../../runtime/events/journal';
import type { RunEvent, TaskResult } from '../../../runtime/events/types';
import type { ModuleContext } from '../../../runtime/modules/types';
import { trackEvents } from '../../../runtime/jobs/tracker';
import { projectRoot, sshd, startSshd, stopSshd } from '../../host/sshd';
import { asyncStatusContext, commandScript, connect, recorder, remote, sleepMs, uniqueAsyncDir } from './helpers';


async function joinJob(ctx: ModuleContext, delay: number, retries: number): Promise<{ result: TaskResult; attempts: number }> {
  let result: TaskResult = {};
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    result = await asyncStatusModule.run(ctx);
    if (result.finished === 1) return { result, attempts: attempt };
    await asyncStatusModule.waitBeforeRetry!(ctx, delay);
  }
  return { result, attempts: retries + 1 };
}

/** the per-connection children of the private sshd we started: killing them drops live connections, as a
 * restarting sshd or a rebooting host does */
function sessionPids(listenerPids: string): number[] {
  const pids: number[] = [];
  for (const listener of listenerPids.split(/\s+/).filter(Boolean)) {
    const out = spawnSync('ps', ['-o', 'pid=', '--ppid', listener], { encoding: 'utf8' }).stdout ?? '';
    pids.push(...out.split(/\s+/).filter(Boolean).map(Number));
  }
  return pids;
}

describe('sshd stopped and restarted in the middle of a join', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ps-sshd-fault-'));
  const info = startSshd(1, dir);
  afterAll(() => stopSshd(dir));

  test.each(['async_status until', 'poll > 0'])('%s: the wait rides out the outage and gets the job result', async (mode) => {
    const connection = connect(0, info);
    try {
      const asyncDir = `${info.home}/async-fault-${Math.random().toString(16).slice(2)}`;
      const rec = recorder();
      const script = commandScript('sleep 5; echo survived');
      const waiting =
        mode === 'poll > 0'
          ? runAsyncTask({ connection, host: 'h1', taskId: 't', task: 'job', script, asyncSeconds: 40, poll: 1, asyncDir, coreVersion: '2.14', emit: rec.emit, instantJoins: true }).then((result) => ({ result, attempts: 0 }))
          : runAsyncTask({ connection, host: 'h1', taskId: 't', task: 'job', script, asyncSeconds: 40, poll: 0, asyncDir, coreVersion: '2.14', emit: rec.emit, instantJoins: true }).then((launched) =>
              joinJob(asyncStatusContext(connection, 'h1', launched.ansible_job_id as string, asyncDir, { keywords: { retries: { value: 30 }, delay: { value: 1 } } }), 1, 30),
            );
      waiting.catch(() => undefined); // awaited below; keeps an early failure from going unhandled
      await sleepMs(1500);
      const sessions = sessionPids(readFileSync(join(info.dir, 'pids'), 'utf8'));
      expect(sessions.length).toBeGreaterThan(0);
      stopSshd(dir);
      for (const pid of sessions) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await sleepMs(2500);
      const previousPort = process.env.PS_SSHD_PORT;
      process.env.PS_SSHD_PORT = String(info.port); // same dir and port: same keys, same known_hosts line
      try {
        startSshd(1, dir);
      } finally {
        if (previousPort === undefined) delete process.env.PS_SSHD_PORT;
        else process.env.PS_SSHD_PORT = previousPort;
      }
      const { result } = await waiting;
      expect(result).toMatchObject({ rc: 0, stdout: 'survived', finished: 1 });
      expect(rec.events.some((e) => e.event === 'job_lost')).toBe(false);
    } finally {
      await connection.close();
    }
  }, 60_000);
});

describe('connection blocked for 10 s in the middle of a join', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ps-sshd-block-'));
  const info = startSshd(1, dir);
  afterAll(() => stopSshd(dir));

  /** no iptables here: freezing our private sshd (listener and per-connection processes, by PID) blackholes the
   * link the same way: the TCP connection stays up and nothing answers; the job itself keeps running */
  function signalSshd(signal: NodeJS.Signals, pids: number[]): void {
    for (const pid of pids) {
      try {
        process.kill(pid, signal);
      } catch {
        // gone
      }
    }
  }

  test.each(['async_status until', 'poll > 0'])('%s: reads time out and retry with a clear message, then the result arrives', async (mode) => {
    const connection = connect(0, info);
    const listeners = readFileSync(join(info.dir, 'pids'), 'utf8').split(/\s+/).filter(Boolean).map(Number);
    let frozen: number[] = [];
    try {
      const asyncDir = `${info.home}/async-block-${Math.random().toString(16).slice(2)}`;
      const rec = recorder();
      const script = commandScript('sleep 4; echo through');
      const waiting = runAsyncTask({ connection, host: 'h1', taskId: 't', task: 'job', script, asyncSeconds: 60, poll: mode === 'poll > 0' ? 1 : 0, asyncDir, coreVersion: '2.14', emit: rec.emit, instantJoins: true }).then(
        async (first) => {
          if (mode === 'poll > 0') return { result: first, attempts: 0 };
          const ctx = asyncStatusContext(connection, 'h1', first.ansible_job_id as string, asyncDir, { keywords: { retries: { value: 30 }, delay: { value: 1 } } });
          ctx.emit = rec.emit;
          return joinJob(ctx, 1, 30);
        },
      );
      waiting.catch(() => undefined); // awaited below; keeps an early failure from going unhandled
      await sleepMs(1500);
      frozen = [...listeners, ...sessionPids(listeners.join(' '))];
      expect(frozen.length).toBeGreaterThan(listeners.length);
      signalSshd('SIGSTOP', frozen);
      const blockedAt = Date.now();
      await sleepMs(10_000);
      signalSshd('SIGCONT', frozen);
      const { result } = await waiting;
      expect(result).toMatchObject({ rc: 0, stdout: 'through', finished: 1 });
      expect(rec.events.some((e) => e.event === 'job_lost')).toBe(false);
      // while blocked: reads were abandoned and retried, and said why
      const notices = rec.events.filter((e) => e.event === 'job_status' && typeof (e as { reason?: string }).reason === 'string' && Date.parse(e.time) - blockedAt < 10_500);
      expect(notices.length).toBeGreaterThan(0);
      expect((notices[0] as { reason: string }).reason).toMatch(/^status read failed \(try 1, retrying in \d+ ms\): no answer from h1 within 5 s \(connection blocked or host stopped\?\)$/);
    } finally {
      signalSshd('SIGCONT', frozen);
      await connection.close();
    }
  }, 60_000);
});

test('status file truncated to garbage mid-join: the join ends with "Could not parse job output"', async () => {
  const connection = connect(5);
  try {
    const asyncDir = uniqueAsyncDir('garbage-mid');
    const launched = await runAsyncTask({ connection, host: 'h1', taskId: 't', task: 'job', script: commandScript('sleep 4'), asyncSeconds: 40, poll: 0, asyncDir, coreVersion: '2.14', emit: recorder().emit, instantJoins: true });
    const jid = launched.ansible_job_id as string;
    const joining = joinJob(asyncStatusContext(connection, 'h1', jid, asyncDir, { keywords: { retries: { value: 30 }, delay: { value: 5 } } }), 5, 10);
    await sleepMs(1000);
    await remote(connection, `printf '{"sta' > ${shellQuote(`${asyncDir}/${jid}`)}`);
    const { result, attempts } = await joining;
    expect(result).toMatchObject({ failed: true, finished: 1, msg: 'Could not parse job output: {"sta', ansible_job_id: jid });
    expect(attempts).toBe(2);
  } finally {
    await connection.close();
  }
}, 30_000);

describe('controller killed in the middle of a run', () => {
  test('jobs attach re-reads the journal (torn last line and all) and reports every final result', async () => {
    const info = sshd();
    const work = mkdtempSync(join(tmpdir(), 'ps-crash-'));
    const journal = join(work, 'events.jsonl');
    const asyncDir = uniqueAsyncDir('crash');
    const child = spawn(process.execPath, [join(projectRoot, 'scripts', 'run-ts.mjs'), 'test/fixtures/async/crash-run.ts', journal, join(info.dir, 'info.json'), asyncDir], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // run-ts.mjs bundles and spawns the controller: kill the whole process group at the moment it waits
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('WAITING')) resolve();
      });
      child.on('exit', () => reject(new Error(`controller exited early: ${out}`)));
    });
    const controllers = execFileSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' }).split(/\s+/).filter(Boolean);
    for (const pid of controllers) process.kill(Number(pid), 'SIGKILL');
    child.kill('SIGKILL');
    appendFileSync(journal, '{"event": "job_sta'); // a torn line, as a crash mid-write leaves it

    const before = trackEvents(readJournal(journal).events as RunEvent[]);
    expect(before.all()).toHaveLength(4);
    expect(before.open()).toHaveLength(4);

    const cli = await promisify(execFile)(process.execPath, [join(projectRoot, 'scripts', 'run-ts.mjs'), 'cli/main.ts', 'jobs', 'attach', journal], { cwd: projectRoot, timeout: 60_000 }).catch(
      (error: { stdout: string; stderr: string; code: number }) => error,
    );
    expect('code' in cli ? cli.code : 0).toBe(0);
    expect(cli.stderr).toMatch(new RegExp(`${journal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:1: skipped an unreadable journal line`));
    const finished = cli.stdout.split('\n').filter((line) => line.startsWith('FINISHED: [h1] jid='));
    expect(finished).toHaveLength(4);
    for (const seconds of ['2', '3', '4', '5']) expect(cli.stdout).toContain(`"stdout":"slept ${seconds}"`);

    // the joins went into the journal: a second attach has nothing to do, list shows them joined
    const after = trackEvents(readJournal(journal).events as RunEvent[]);
    expect(after.open()).toHaveLength(0);
    expect(after.all().every((job) => job.joined && job.state === 'finished' && job.rc === 0)).toBe(true);
    const again = await promisify(execFile)(process.execPath, [join(projectRoot, 'scripts', 'run-ts.mjs'), 'cli/main.ts', 'jobs', 'attach', journal], { cwd: projectRoot });
    expect(again.stdout).toContain('nothing to attach');
  }, 90_000);
});
