/**
 * The job wrapper and async_status against the real sshd: SEMANTICS.md §2 (poll 0 launch shapes), §3
 * (async_status status/cleanup/errors), §4 (status file bytes, jid, atomic writes), 2.14 and 2.19 shapes.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { runAsyncTask } from '../../../runtime/async';
import { asyncStatusModule } from '../../../runtime/async/async-status';
import type { ModuleContext } from '../../../runtime/modules/types';
import type { TaskResult } from '../../../runtime/events/types';
import { commandScript, connect, recorder, remote, sleepMs, uniqueAsyncDir } from './helpers';
import { shellQuote } from '../../../runtime/connection/quote';

const connection = connect(1);
afterAll(() => connection.close());

function statusContext(args: Record<string, unknown>, asyncDir: string, coreVersion = '2.14', extra: Partial<ModuleContext> = {}) {
  const rec = recorder();
  const ctx = {
    connection,
    host: 'h2',
    args,
    task: { name: 'status', keywords: {}, file: { path: 'p.yml', text: '', position: () => ({ line: 0, character: 0 }) }, span: { start: 0, end: 0 } },
    vars: { ansible_async_dir: asyncDir },
    environment: {},
    checkMode: false,
    diffMode: false,
    coreVersion,
    baseDir: '.',
    emit: rec.emit,
    signal: new AbortController().signal,
    ...extra,
  } as unknown as ModuleContext;
  return { ctx, rec };
}

async function launch(script: string, asyncDir: string, coreVersion = '2.14', asyncSeconds = 30, environment?: Record<string, string>) {
  const rec = recorder();
  const result = await runAsyncTask({ connection, host: 'h2', taskId: 'p.yml:3', task: 'launch', script, asyncSeconds, poll: 0, asyncDir, coreVersion, emit: rec.emit, instantJoins: true, register: 'job', environment });
  return { result, rec };
}

async function untilFinished(args: Record<string, unknown>, asyncDir: string, coreVersion = '2.14'): Promise<TaskResult> {
  for (let i = 0; i < 100; i++) {
    const { ctx } = statusContext(args, asyncDir, coreVersion);
    const r = await asyncStatusModule.run(ctx);
    if (r.finished === 1 || r.finished === true) return r;
    await asyncStatusModule.waitBeforeRetry!(ctx, 1);
  }
  throw new Error('job did not finish');
}

describe.each(['2.14', '2.19'])('poll 0 launch and async_status (%s)', (version) => {
  const t = (v: boolean) => (version === '2.19' ? v : v ? 1 : 0);

  test('launch result, status file at start, jid, job_started journaled', async () => {
    const dir = uniqueAsyncDir('launch');
    const { result, rec } = await launch(commandScript('sleep 2; echo done; echo warn >&2'), dir, version);
    expect(Object.keys(result).sort()).toEqual(['ansible_job_id', 'changed', 'failed', 'finished', 'results_file', 'started']);
    expect(result).toMatchObject({ changed: true, failed: t(false), finished: t(false), started: t(true) });
    const jid = result.ansible_job_id as string;
    expect(jid).toMatch(/^j\d{1,12}\.\d+$/);
    expect(result.results_file).toBe(`${dir}/${jid}`);
    const atStart = await remote(connection, `cat ${shellQuote(`${dir}/${jid}`)}`);
    expect(atStart).toBe(version === '2.19' ? `{"started": true, "finished": false, "ansible_job_id": "${jid}"}` : `{"started": 1, "finished": 0, "ansible_job_id": "${jid}"}`);
    const started = rec.events.find((e) => e.event === 'job_started');
    expect(started).toMatchObject({ jid, host: 'h2', task: 'launch', async: 30, poll: 0, register: 'job', resultsFile: `${dir}/${jid}`, asyncDir: dir });
    expect(started && 'target' in started && started.target).toMatchObject({ port: expect.any(Number), user: expect.any(String) });

    // async_status while running
    const { ctx } = statusContext({ jid }, dir, version);
    const running = await asyncStatusModule.run(ctx);
    expect(running).toEqual({
      ansible_job_id: jid,
      finished: t(false),
      started: t(true),
      results_file: `${dir}/${jid}`,
      stdout: '',
      stderr: '',
      stdout_lines: [],
      stderr_lines: [],
      invocation: { module_args: { _async_dir: dir, jid, mode: 'status' } },
    });

    // finished: the job's raw result + jid/started/finished/results_file/*_lines; status mode never deletes
    const done = await untilFinished({ jid }, dir, version);
    expect(done).toMatchObject({ ansible_job_id: jid, changed: true, rc: 0, stdout: 'done', stderr: 'warn', stdout_lines: ['done'], stderr_lines: ['warn'], finished: t(true), started: t(true), results_file: `${dir}/${jid}` });
    const again = await asyncStatusModule.run(statusContext({ jid }, dir, version).ctx);
    expect(again).toEqual(done);
    const atEnd = JSON.parse(await remote(connection, `cat ${shellQuote(`${dir}/${jid}`)}`));
    expect(atEnd).not.toHaveProperty('ansible_job_id');
    expect(atEnd).not.toHaveProperty('finished');
    expect(atEnd).toMatchObject({ changed: true, stdout: 'done', stderr: 'warn', rc: 0 });
    expect(await remote(connection, `ls -a ${shellQuote(dir)}`)).toBe(`.\n..\n${jid}\n`);
  });

  test('cleanup removes the file but not the job; the job rewrites it when it ends', async () => {
    const dir = uniqueAsyncDir('cleanup');
    const { result } = await launch(commandScript('sleep 2; echo late'), dir, version);
    const jid = result.ansible_job_id as string;
    const { ctx, rec } = statusContext({ jid, mode: 'cleanup' }, dir, version);
    const cleaned = await asyncStatusModule.run(ctx);
    expect(cleaned).toEqual({
      ansible_job_id: jid,
      erased: `${dir}/${jid}`,
      finished: t(false),
      started: t(false),
      stdout: '',
      stderr: '',
      stdout_lines: [],
      stderr_lines: [],
      invocation: { module_args: { _async_dir: dir, jid, mode: 'cleanup' } },
    });
    expect(rec.events.map((e) => e.event)).toEqual(['job_cleaned']);
    const after = await asyncStatusModule.run(statusContext({ jid }, dir, version).ctx);
    expect(after).toMatchObject({ failed: true, msg: 'could not find job', finished: t(true), started: t(true), results_file: `${dir}/${jid}`, ansible_job_id: jid });
    const second = await asyncStatusModule.run(statusContext({ jid, mode: 'cleanup' }, dir, version).ctx);
    expect(second).toMatchObject({ failed: true, msg: 'could not find job', erased: `${dir}/${jid}`, finished: t(true), started: t(true) });
    expect(second).not.toHaveProperty('results_file');
    // the job keeps running and writes its final record (the file reappears)
    let final: TaskResult = after;
    for (let i = 0; i < 50 && final.msg === 'could not find job'; i++) {
      await sleepMs(200);
      final = await asyncStatusModule.run(statusContext({ jid }, dir, version).ctx);
    }
    expect(final).toMatchObject({ rc: 0, stdout: 'late', finished: t(true) });
  });
});

describe('async_status edge cases (2.14)', () => {
  test('unknown jid and a path-like jid: could not find job, joined as-is', async () => {
    const dir = uniqueAsyncDir('unknown');
    const unknown = await asyncStatusModule.run(statusContext({ jid: 'j000000000000.1' }, dir).ctx);
    expect(unknown).toEqual({
      ansible_job_id: 'j000000000000.1',
      failed: true,
      msg: 'could not find job',
      finished: 1,
      started: 1,
      results_file: `${dir}/j000000000000.1`,
      stdout: '',
      stderr: '',
      stdout_lines: [],
      stderr_lines: [],
      invocation: { module_args: { _async_dir: dir, jid: 'j000000000000.1', mode: 'status' } },
    });
    const weird = await asyncStatusModule.run(statusContext({ jid: '../nonexistent' }, dir).ctx);
    expect(weird).toMatchObject({ msg: 'could not find job', results_file: `${dir}/../nonexistent`, ansible_job_id: '../nonexistent' });
  });

  test('empty status file = still running; garbage = Could not parse job output', async () => {
    const dir = uniqueAsyncDir('garbage');
    await remote(connection, `mkdir -p ${shellQuote(dir)} && : > ${shellQuote(`${dir}/j1.1`)} && printf 'not json{' > ${shellQuote(`${dir}/j2.2`)}`);
    const empty = await asyncStatusModule.run(statusContext({ jid: 'j1.1' }, dir).ctx);
    expect(empty).toMatchObject({ started: 1, finished: 0, results_file: `${dir}/j1.1` });
    expect(empty).not.toHaveProperty('failed');
    const garbage = await asyncStatusModule.run(statusContext({ jid: 'j2.2' }, dir).ctx);
    expect(garbage).toMatchObject({ failed: true, msg: 'Could not parse job output: not json{', started: 1, finished: 1, ansible_job_id: 'j2.2' });
  });

  test('~ in the async dir is the remote $HOME (as async_wrapper expands it)', async () => {
    const home = (await remote(connection, 'printf %s "$HOME"')).trim();
    const rel = `~/${uniqueAsyncDir('tilde').split('/').pop()}`;
    const { result } = await launch(commandScript('true'), rel);
    expect(String(result.results_file).startsWith(`${home}/`)).toBe(true);
    const done = await untilFinished({ jid: result.ansible_job_id }, rel);
    expect(done.results_file).toBe(result.results_file);
  });

  test('environment reaches the job, ANSIBLE_ASYNC_DIR is set, cwd is the login dir', async () => {
    const dir = uniqueAsyncDir('env');
    const loginDir = (await remote(connection, 'pwd')).trim();
    const { result } = await launch(commandScript(`echo "FOO=$FOO ASYNC_DIR=$ANSIBLE_ASYNC_DIR PWD=$(pwd)"`), dir, '2.14', 30, { FOO: "bar 'quoted' $x" });
    const done = await untilFinished({ jid: result.ansible_job_id }, dir);
    expect(done.stdout).toBe(`FOO=bar 'quoted' $x ASYNC_DIR=${dir} PWD=${loginDir}`);
  });

  test('a module that prints no JSON gets async_wrapper-style failure record', async () => {
    const dir = uniqueAsyncDir('nojson');
    const { result } = await launch('echo "plain \\"text\\" \\\\ back"; echo oops >&2; exit 3', dir);
    const done = await untilFinished({ jid: result.ansible_job_id }, dir);
    expect(done).toMatchObject({ failed: 1, data: 'plain "text" \\ back', stderr: 'oops', finished: 1, msg: 'the module printed no JSON result (exit status 3)' });
  });

  test('read-only async dir: the launch fails with a clear message, nothing runs', async () => {
    const dir = uniqueAsyncDir('readonly');
    const marker = `${dir}-ran`;
    // root ignores mode bits: make the dir immutable when the filesystem allows, else fall back to mode 555
    const how = (
      await remote(connection, `mkdir -p ${shellQuote(dir)} && { chattr +i ${shellQuote(dir)} 2>/dev/null && echo immutable || { chmod 555 ${shellQuote(dir)}; echo mode; }; }`)
    ).trim();
    try {
      const probe = (await remote(connection, `touch ${shellQuote(`${dir}/probe`)} 2>/dev/null && echo writable || echo readonly`)).trim();
      if (probe === 'writable') {
        // neither works here (root without CAP_LINUX_IMMUTABLE): prove the same path with a dir that cannot be created
        await remote(connection, `: > ${shellQuote(`${dir}-file`)}`);
        const blocked = `${dir}-file/sub`;
        const second = await launch(`echo '{"rc": 0}'`, blocked);
        expect(second.result).toMatchObject({ failed: true, changed: false });
        expect(String(second.result.msg)).toMatch(new RegExp(`^could not create directory: ${blocked} - `));
        expect(second.rec.events).toEqual([]);
        return;
      }
      const { result, rec } = await launch(`touch ${shellQuote(marker)}; echo '{"rc": 0}'`, dir);
      expect(result).toMatchObject({ failed: true, changed: false });
      expect(String(result.msg)).toContain(`could not write the job status file ${dir}/j`);
      expect(rec.events).toEqual([]);
      await sleepMs(500);
      expect((await remote(connection, `test -e ${shellQuote(marker)} && echo ran || echo not`)).trim()).toBe('not');
    } finally {
      if (how === 'immutable') await remote(connection, `chattr -i ${shellQuote(dir)}`);
    }
  });
});
