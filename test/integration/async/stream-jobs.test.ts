/**
 * Jobs started inside the host's watch stream (instant joins on): the stream's bash forks each job into its own
 * process group, is every job's watchdog, removes the command module's scratch files when a job ends, and keeps
 * a silent copy of itself alive after its channel closes until its last job has ended or been killed.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { killJob, runAsyncTask } from '../../../runtime/async';
import { readJobStatus, type StatusRead } from '../../../runtime/async/status';
import { stopWatchers, watcherFor } from '../../../runtime/async/watcher';
import { watchdogLimitSeconds } from '../../../runtime/async/watchdog';
import { shellQuote } from '../../../runtime/connection/quote';
import type { Connection, ExecOptions } from '../../../runtime/connection/types';
import type { TaskResult } from '../../../runtime/events/types';
import { shellModule } from '../../../runtime/modules/command';
import { asyncStatusContext, connect, recorder, remote, sleepMs, uniqueAsyncDir } from './helpers';

const ssh = connect(7);
afterAll(async () => {
  await remote(ssh, `rm -rf ${made.map(shellQuote).join(' ')}`);
  await ssh.close();
});
const made: string[] = [];

function asyncDirFor(label: string): string {
  const dir = uniqueAsyncDir(`stream-jobs-${label}`);
  made.push(dir);
  return dir;
}

/**
 * The SSH connection behind a wrapper of its own, recording every exec and every stream opened: the watcher
 * registry is per connection object, so each wrapper gets its own watch stream.
 */
function recordingConnection(): { connection: Connection; execs: string[]; streams: string[] } {
  const execs: string[] = [];
  const streams: string[] = [];
  const connection: Connection = {
    host: ssh.host,
    exec(command: string, options?: ExecOptions) {
      execs.push(command);
      return ssh.exec(command, options);
    },
    openStream(command: string) {
      streams.push(command);
      return ssh.openStream(command);
    },
    putFile: (p, c, m) => ssh.putFile(p, c, m),
    getFile: (p) => ssh.getFile(p),
    close: async () => undefined,
  };
  return { connection, execs, streams };
}

/** the real shell module's async script (what the executor hands the job wrapper) */
function shellScript(line: string, extra: Record<string, unknown> = {}): string {
  const context = { ...asyncStatusContext(ssh, 'h8', 'x', '/unused'), args: { _raw_params: line, ...extra } };
  const script = shellModule.remoteScript!(context);
  if (!script) throw new Error('the shell module has no remote script');
  return script;
}

async function launch(connection: Connection, asyncDir: string, script: string, asyncSeconds: number, instantJoins: boolean): Promise<string> {
  const launched = await runAsyncTask({ connection, host: 'h8', taskId: 't', task: 'job', script, asyncSeconds, poll: 0, asyncDir, coreVersion: '2.14', emit: recorder().emit, instantJoins });
  expect(launched, JSON.stringify(launched)).toMatchObject({ started: 1, finished: 0 });
  return launched.ansible_job_id as string;
}

/** reads the status file over a plain exec (never through a watcher) */
function status(asyncDir: string, jid: string): Promise<StatusRead> {
  return readJobStatus({ connection: ssh, asyncDir, jid, mode: 'status', coreVersion: '2.14' });
}

async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, withinMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + withinMs;
  let value = await probe();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${withinMs} ms (last: ${JSON.stringify(value)})`);
    await sleepMs(everyMs);
    value = await probe();
  }
  return value;
}

const finished = (asyncDir: string, jid: string) => until(`job ${jid} finished`, () => status(asyncDir, jid), (s) => s.state !== 'running', 15_000);

/** file names in the async dir */
async function listing(asyncDir: string): Promise<string[]> {
  return (await remote(ssh, `ls -A ${shellQuote(asyncDir)} 2>/dev/null`)).split('\n').filter(Boolean).sort();
}

/** the process group a pid belongs to ('' when the pid is gone) */
async function pgidOf(pid: string): Promise<string> {
  return (await remote(ssh, `ps -o pgid= -p ${shellQuote(pid)} || true`)).trim();
}

/** pids of the processes in a process group */
async function groupMembers(pgid: string): Promise<string[]> {
  return (await remote(ssh, `pgrep -g ${shellQuote(pgid)} || true`)).split('\n').filter(Boolean);
}

/**
 * Processes whose command line names the async dir: the watch stream and the jobs it forked (bash subshells
 * keep its command line), as "pid pgid args". `outside` leaves out a job's process group: what remains is the stream.
 */
async function processesNaming(asyncDir: string, outside?: string): Promise<string[]> {
  // filtered here, not in a remote grep: a grep's own command line would name the dir
  const lines = (await remote(ssh, 'ps -eo pid=,pgid=,args=')).split('\n').filter((line) => line.includes(asyncDir));
  return lines.filter((line) => outside === undefined || line.trim().split(/\s+/)[1] !== outside);
}

/**
 * The pid leading a running job's process group: the stream notes it in <jid>.pid; a stream without that file
 * started the job as the pid at the end of its jid.
 */
async function jobGroup(asyncDir: string, jid: string): Promise<string> {
  const noted = (await remote(ssh, `cat ${shellQuote(`${asyncDir}/${jid}.pid`)} 2>/dev/null || true`)).trim();
  return noted || jid.slice(jid.lastIndexOf('.') + 1);
}

/** a job's record without what differs from job to job: timestamps, and the jid wherever it appears */
function comparable(read: StatusRead, jid: string): TaskResult {
  const { start, end, delta, ...rest } = read.result;
  return JSON.parse(JSON.stringify(rest).replaceAll(jid, 'JID'));
}

/**
 * The stream killed the job at its limit: the timeout record naming its group, written between the limit and 2 s
 * after it, no process of the group left, and nothing but the status file in the async dir.
 */
async function expectKilledAtLimit(asyncDir: string, jid: string, pid: Awaited<ReturnType<typeof jobGroup>>, launchedAt: number, limit: number): Promise<void> {
  const timedOut = await until('timeout record', () => status(asyncDir, jid), (s) => s.state !== 'running', (limit + 4) * 1000, 200);
  const elapsed = (Date.now() - launchedAt) / 1000;
  expect(timedOut.result).toMatchObject({ msg: 'Timeout exceeded', failed: true, child_pid: Number(pid), finished: 1 });
  expect(elapsed).toBeGreaterThanOrEqual(limit);
  expect(elapsed).toBeLessThanOrEqual(limit + 2);
  expect(await until('group gone', () => groupMembers(pid), (members) => members.length === 0, 2000)).toEqual([]);
  expect(await until('scratch files removed', () => listing(asyncDir), (names) => names.length === 1, 3000)).toEqual([jid]);
}

describe.concurrent('jobs started inside the watch stream', () => {
  test('an instant-joins launch goes through the stream, no exec; its job leads its own group and ends as an exec-launched one', async () => {
    const asyncDir = asyncDirFor('same');
    const line = 'sleep 1; echo out; echo err >&2; cat; exit 3';
    const script = shellScript(line, { stdin: 'from stdin' });

    const viaStream = recordingConnection();
    const streamJid = await launch(viaStream.connection, asyncDir, script, 30, true);
    expect(viaStream.execs).toEqual([]);
    expect(viaStream.streams).toHaveLength(1);
    expect(viaStream.streams[0]).toContain(asyncDir);
    // the job runs in a process group of its own
    const pid = await jobGroup(asyncDir, streamJid);
    expect(pid).toMatch(/^\d+$/);
    expect(await pgidOf(pid)).toBe(pid);

    const viaExec = recordingConnection();
    const execJid = await launch(viaExec.connection, asyncDir, script, 30, false);
    expect(viaExec.streams).toEqual([]);
    expect(viaExec.execs).toHaveLength(1);

    const [fromStream, fromExec] = await Promise.all([finished(asyncDir, streamJid), finished(asyncDir, execJid)]);
    expect(fromStream.state).toBe('finished');
    expect(fromStream.result).toMatchObject({ rc: 3, stdout: 'out\nfrom stdin', stderr: 'err', failed: true, finished: 1, ansible_job_id: streamJid });
    expect(comparable(fromStream, streamJid)).toEqual(comparable(fromExec, execJid));
    expect(fromExec.result.ansible_job_id).toBe(execJid);
    stopWatchers(viaStream.connection);
  });

  test('a job printing noise around its JSON, or no JSON at all, gets the same record through the stream as through an exec', async () => {
    const asyncDir = asyncDirFor('noise');
    const scripts = {
      noise: `echo 'warming up'; printf '{"rc": 0,\\n "changed": true}\\n'; echo trailer`,
      garbage: `echo 'no json here'; echo 'on stderr' >&2; exit 4`,
    };
    const viaStream = recordingConnection();
    for (const [name, script] of Object.entries(scripts)) {
      const streamJid = await launch(viaStream.connection, asyncDir, script, 30, true);
      const execJid = await launch(ssh, asyncDir, script, 30, false);
      const [fromStream, fromExec] = await Promise.all([finished(asyncDir, streamJid), finished(asyncDir, execJid)]);
      expect(fromStream.state, name).toBe('finished');
      // the failure record names the status file and the jid: the rest must be the same
      expect(comparable(fromStream, streamJid), name).toEqual(comparable(fromExec, execJid));
    }
    expect(viaStream.execs).toEqual([]);
    stopWatchers(viaStream.connection);
  });

  test('launches sent together to a stream being opened each get their own answer', async () => {
    const asyncDir = asyncDirFor('together');
    // a lost or garbled reply would leave its launch waiting for ever: give each 10 s
    const answer = <T>(work: Promise<T>) => Promise.race([work, sleepMs(10_000).then(() => 'no answer within 10 s' as const)]);
    const [rounds, perRound] = [8, 12];
    const jids: string[] = [];
    // each round opens a stream of its own: the launches waiting for it reach the target in one burst when it is
    // ready, the way the forks of a play launching on one delegate do
    for (let round = 0; round < rounds; round++) {
      const { connection, execs } = recordingConnection();
      const launched = await Promise.all(
        Array.from({ length: perRound }, (_, i) =>
          answer(runAsyncTask({ connection, host: 'h8', taskId: 't', task: 'job', script: `printf '{"i": ${jids.length + i}}\\n'`, asyncSeconds: 30, poll: 0, asyncDir, coreVersion: '2.14', emit: recorder().emit, instantJoins: true })),
        ),
      );
      stopWatchers(connection);
      launched.forEach((result, i) => {
        expect(result, `round ${round}, launch ${i}`).toMatchObject({ started: 1, finished: 0, failed: 0 });
        const { ansible_job_id: jid, results_file: file } = result as TaskResult;
        expect(file, `round ${round}, launch ${i}`).toBe(`${asyncDir}/${jid}`);
        jids.push(jid as string);
      });
      expect(execs).toEqual([]);
    }
    expect(new Set(jids).size).toBe(rounds * perRound);
    const results = await Promise.all(jids.map((jid) => finished(asyncDir, jid)));
    expect(results.map((r) => r.result.i)).toEqual(jids.map((_, i) => i));
  });

  test.each(['scratch', "scratch in a dir with spaces and 'quotes'"])('%s: the command module writes scratch files next to the status file, none is left once the job has ended', async (label) => {
    const asyncDir = asyncDirFor(label);
    const { connection } = recordingConnection();
    const jid = await launch(connection, asyncDir, shellScript('sleep 1.5; echo done; echo warn >&2; cat', { stdin: 'in' }), 30, true);
    // while it runs: <jid>.out (the runner's "running" mark) and the module's .in, .o, .e
    const running = await until('scratch files written', () => listing(asyncDir), (names) => names.length >= 5, 2000, 50);
    // (and <jid>.pid, the job's process group, from a stream that notes it)
    expect(running.filter((name) => name !== `${jid}.pid`)).toEqual([jid, `${jid}.e`, `${jid}.in`, `${jid}.o`, `${jid}.out`].sort());
    const done = await finished(asyncDir, jid);
    expect(done.result).toMatchObject({ rc: 0, stdout: 'done\nin', stderr: 'warn' });
    // the stream removes them within about 0.1 s of the job's end
    expect(await until('scratch files removed', () => listing(asyncDir), (names) => names.length === 1, 3000)).toEqual([jid]);
    stopWatchers(connection);
  });

  test('the stream is the watchdog: a job past its limit gets the timeout record and its whole group is killed', async () => {
    const asyncDir = asyncDirFor('watchdog');
    const limit = watchdogLimitSeconds(2);
    expect(limit).toBe(10);
    const { connection } = recordingConnection();
    const launchedAt = Date.now();
    // a child in the background too: the kill must take the group, not only the runner
    const jid = await launch(connection, asyncDir, shellScript('sleep 60 & sleep 61; wait'), 2, true);
    const pid = await jobGroup(asyncDir, jid);
    await until('module started', () => groupMembers(pid), (members) => members.length >= 4, 5000);
    await expectKilledAtLimit(asyncDir, jid, pid, launchedAt, limit);
    stopWatchers(connection);
  });

  test.each(['the channel is closed', 'the SSH connection is closed'])('%s: nothing is orphaned, the job ends normally, its scratch files go, then the stream copy exits', async (how) => {
    const asyncDir = asyncDirFor('orphan');
    // a connection of its own for the second case: closing it drops every channel on it, as a lost link does
    const own = how === 'the SSH connection is closed' ? connect(6) : undefined;
    const connection = own ?? recordingConnection().connection;
    const jid = await launch(connection, asyncDir, shellScript('sleep 3; echo done'), 30, true);
    const group = await jobGroup(asyncDir, jid);
    expect((await processesNaming(asyncDir, group)).length).toBeGreaterThan(0);
    if (own) await own.close();
    stopWatchers(connection);
    // the channel is gone, but the job and a copy of the stream (its watchdog) are still there
    await sleepMs(500);
    expect((await status(asyncDir, jid)).state).toBe('running');
    expect(await processesNaming(asyncDir, group)).toHaveLength(1);
    const done = await finished(asyncDir, jid);
    const endedAt = Date.now();
    expect(done.result).toMatchObject({ rc: 0, stdout: 'done', finished: 1 });
    expect(await until('scratch files removed', () => listing(asyncDir), (names) => names.length === 1, 3000)).toEqual([jid]);
    expect(await until('stream copy exited', () => processesNaming(asyncDir), (ps) => ps.length === 0, 5000, 250)).toEqual([]);
    expect(Date.now() - endedAt).toBeLessThan(5000);
  });

  test('a job whose channel closed right after its launch is still killed at its limit', async () => {
    const asyncDir = asyncDirFor('orphan-limit');
    const limit = watchdogLimitSeconds(2);
    const { connection } = recordingConnection();
    const launchedAt = Date.now();
    const jid = await launch(connection, asyncDir, shellScript('sleep 60 & sleep 61; wait'), 2, true);
    stopWatchers(connection);
    const pid = await jobGroup(asyncDir, jid);
    await expectKilledAtLimit(asyncDir, jid, pid, launchedAt, limit);
    expect(await until('stream copy exited', () => processesNaming(asyncDir), (ps) => ps.length === 0, 5000, 250)).toEqual([]);
  });

  test('killJob on a stream-started job kills its group and records the kill', async () => {
    const asyncDir = asyncDirFor('kill');
    const { connection } = recordingConnection();
    const jid = await launch(connection, asyncDir, shellScript('sleep 60 & sleep 61; wait'), 600, true);
    const pid = await jobGroup(asyncDir, jid);
    await until('module started', () => groupMembers(pid), (members) => members.length >= 4, 5000);
    expect(await killJob(ssh, asyncDir, jid)).toEqual({ killed: true, pid: Number(pid) });
    expect((await status(asyncDir, jid)).result).toMatchObject({ msg: 'Job killed on cancel', failed: true, child_pid: Number(pid), finished: 1 });
    expect(await until('group gone', () => groupMembers(pid), (members) => members.length === 0, 2000)).toEqual([]);
    expect(await until('scratch files removed', () => listing(asyncDir), (names) => names.length === 1, 3000)).toEqual([jid]);
    expect(await killJob(ssh, asyncDir, jid)).toEqual({ killed: false });
    stopWatchers(connection);
  });

  test('a new stream removes stale scratch files, and keeps those of a job still running', async () => {
    const asyncDir = asyncDirFor('stale');
    const stale = ['j1.2.o', 'j1.2.e', 'j1.2.in', 'j1.2.pid'];
    const kept = ['j1.2', 'j3.4.o', 'j3.4.pid', 'j3.4.out', 'j3.4', 'other.o'];
    await remote(ssh, `mkdir -p ${shellQuote(asyncDir)} && cd ${shellQuote(asyncDir)} && touch ${[...stale, ...kept].join(' ')}`);
    expect(await listing(asyncDir)).toEqual([...stale, ...kept].sort());
    const { connection } = recordingConnection();
    // a status read through the stream is answered once it is READY, after its cleanup at start
    const watcher = watcherFor(connection, asyncDir);
    const read = await until('stream ready', async () => watcher.readThroughStream('j3.4', 'status'), (r) => r !== undefined, 10_000);
    expect(await read).toBe(`DIR ${asyncDir}\nCONTENT\n`);
    expect(await listing(asyncDir)).toEqual([...kept].sort());
    stopWatchers(connection);
  });

  test('a channel closed while a launch is in flight leaves every job of the stream with its watchdog', async () => {
    const asyncDir = asyncDirFor('inflight');
    const limit = watchdogLimitSeconds(2);
    const { connection } = recordingConnection();
    const launchedAt = Date.now();
    const script = shellScript('sleep 60 & sleep 61; wait');
    const jid = await launch(connection, asyncDir, script, 2, true);
    const pid = await jobGroup(asyncDir, jid);
    // the second launch is on its way to the target when the channel closes (a cancel, a dropped link)
    const second = runAsyncTask({ connection, host: 'h8', taskId: 't', task: 'job', script, asyncSeconds: 2, poll: 0, asyncDir, coreVersion: '2.14', emit: recorder().emit, instantJoins: true });
    await new Promise((resolve) => setImmediate(resolve));
    stopWatchers(connection);
    expect(await second).toMatchObject({ failed: true, msg: expect.stringContaining('the watch stream carrying the launch failed') });
    // the job launched before is still killed at its limit, by the copy of the stream that outlives its channel
    const timedOut = await until('timeout record', () => status(asyncDir, jid), (s) => s.state !== 'running', (limit + 4) * 1000, 200);
    expect((Date.now() - launchedAt) / 1000).toBeLessThanOrEqual(limit + 2);
    expect(timedOut.result).toMatchObject({ msg: 'Timeout exceeded', child_pid: Number(pid) });
    expect(await until('group gone', () => groupMembers(pid), (members) => members.length === 0, 2000)).toEqual([]);
    // whatever became of the launch in flight, nothing of it is left running past the limit
    const left = (await listing(asyncDir)).filter((name) => name !== jid);
    const secondJid = left.find((name) => /^j\d+\.\d+$/.test(name));
    if (secondJid) expect((await status(asyncDir, secondJid)).state).toBe('finished');
    expect(left.filter((name) => name !== secondJid)).toEqual([]);
    expect(await until('stream copy exited', () => processesNaming(asyncDir), (ps) => ps.length === 0, 5000, 250)).toEqual([]);
  });
});
