/**
 * poll > 0 (SEMANTICS.md §2, cases 02/03/09/31): checks, ASYNC POLL/OK/FAILED events, automatic cleanup, the
 * timeout failure, and the watchdog that kills the job's process group later. Instant joins must produce the
 * same events and results as exact sleeps, only sooner.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAsyncTask, type AsyncLaunch } from '../../../runtime/async';
import { shellQuote } from '../../../runtime/connection/quote';
import { commandScript, connect, recorder, remote, sleepMs, uniqueAsyncDir } from './helpers';

const connection = connect(2);
beforeAll(() => connection.exec('true'));
afterAll(() => connection.close());

async function run(overrides: Partial<AsyncLaunch> & { script: string; asyncSeconds: number; poll: number }) {
  const rec = recorder();
  const asyncDir = overrides.asyncDir ?? uniqueAsyncDir('poll');
  const started = Date.now();
  const result = await runAsyncTask({ connection, host: 'h3', taskId: 'p.yml:5', task: 'poll task', asyncDir, coreVersion: '2.14', emit: rec.emit, instantJoins: true, ...overrides });
  return { result, events: rec.events, ms: Date.now() - started, asyncDir };
}

const names = (events: { event: string }[]) => events.map((e) => e.event).filter((e) => e !== 'job_status');

describe('poll > 0, job finishes inside the window', () => {
  test.each([true, false])('instant joins %s: one ASYNC POLL, ASYNC OK, result, cleanup', async (instantJoins) => {
    const { result, events } = await run({ script: commandScript('sleep 2.5; echo done'), asyncSeconds: 20, poll: 2, instantJoins });
    expect(names(events)).toEqual(['job_started', 'runner_on_async_poll', 'runner_on_async_ok', 'job_joined', 'job_cleaned']);
    const jid = result.ansible_job_id as string;
    const poll = events.find((e) => e.event === 'runner_on_async_poll')!;
    expect(poll).toMatchObject({ jid, started: 1, finished: 0, poll: 1, polls: 10 });
    expect((poll as { result: object }).result).toEqual({
      ansible_job_id: jid,
      finished: 0,
      started: 1,
      results_file: result.results_file,
      stdout: '',
      stderr: '',
      stdout_lines: [],
      stderr_lines: [],
      invocation: expect.objectContaining({ module_args: expect.objectContaining({ jid, mode: 'status' }) }),
    });
    expect(result).toMatchObject({ changed: true, rc: 0, stdout: 'done', stdout_lines: ['done'], finished: 1, started: 1, ansible_job_id: jid });
    expect(result).not.toHaveProperty('failed');
    // automatic cleanup: the status file is gone
    expect((await remote(connection, `test -e ${shellQuote(String(result.results_file))} && echo present || echo gone`)).trim()).toBe('gone');
  });

  test('instant joins notice the end before the first scheduled check; exact sleeps wait for it', async () => {
    // poll 4: Ansible's first check is 4 s after the launch; the job ends after 1.5 s
    const noticedAfter = async (instantJoins: boolean) => {
      const { events } = await run({ script: commandScript('sleep 1.5'), asyncSeconds: 20, poll: 4, instantJoins });
      expect(events.filter((e) => e.event === 'runner_on_async_poll')).toHaveLength(0);
      const at = (name: string) => Date.parse((events.find((e) => e.event === name) as { time: string }).time);
      return at('runner_on_async_ok') - at('job_started');
    };
    const [instant, exact] = await Promise.all([noticedAfter(true), noticedAfter(false)]);
    expect(exact).toBeGreaterThanOrEqual(4000);
    expect(instant).toBeLessThan(4000);
  });

  test('failing job (rc 3): ASYNC FAILED, the job result, still cleaned up', async () => {
    const { result, events } = await run({ script: commandScript('echo out; echo err >&2; sleep 1.2; exit 3'), asyncSeconds: 10, poll: 1 });
    expect(names(events)).toEqual(['job_started', 'runner_on_async_poll', 'runner_on_async_failed', 'job_joined', 'job_cleaned']);
    expect(result).toMatchObject({ failed: true, msg: 'non-zero return code', rc: 3, stdout: 'out', stderr: 'err', stderr_lines: ['err'], finished: 1, changed: true });
    expect(events.find((e) => e.event === 'job_joined')).toMatchObject({ state: 'failed' });
  });

  test('2.19 shapes: booleans in polls and in the result', async () => {
    const { result, events } = await run({ script: commandScript('sleep 1.5'), asyncSeconds: 10, poll: 1, coreVersion: '2.19' });
    expect(events.find((e) => e.event === 'runner_on_async_poll')).toMatchObject({ started: true, finished: false });
    expect(result).toMatchObject({ finished: true, started: true, rc: 0 });
  });
});

describe('poll > 0, job outlives async', () => {
  test.each([false, true])('exact timeout failure after ceil(async/poll) checks; watchdog kills the group at 10 s (without setsid: %s)', async (withoutSetsid) => {
    const scratch = uniqueAsyncDir('marker');
    const tag = `33.${Math.floor(Math.random() * 1e6)}`;
    const script = commandScript(`trap 'echo TERM >> ${scratch}' TERM; echo begin > ${scratch}; sleep ${tag} & wait; echo end >> ${scratch}`);
    const { result, events, asyncDir } = await run({ script, asyncSeconds: 3, poll: 1, withoutSetsid });
    const polls = events.filter((e) => e.event === 'runner_on_async_poll');
    expect(polls).toHaveLength(3);
    expect(names(events)).toEqual(['job_started', 'runner_on_async_poll', 'runner_on_async_poll', 'runner_on_async_poll', 'runner_on_async_failed', 'job_timeout']);
    const jid = (events[0] as { jid: string }).jid;
    expect(result).toEqual({
      failed: true,
      changed: false,
      msg: 'async task did not complete within the requested time - 3s',
      async_result: {
        ansible_job_id: jid,
        finished: 0,
        started: 1,
        results_file: `${asyncDir}/${jid}`,
        stdout: '',
        stderr: '',
        stdout_lines: [],
        stderr_lines: [],
        invocation: { module_args: { _async_dir: asyncDir, jid, mode: 'status' } },
      },
    });
    expect(events.find((e) => e.event === 'runner_on_async_failed')).toMatchObject({ jid });
    // no cleanup, no kill by the controller
    const file = `${asyncDir}/${jid}`;
    expect(await remote(connection, `cat ${shellQuote(file)}`)).toBe(`{"started": 1, "finished": 0, "ansible_job_id": "${jid}"}`);
    expect(Number((await remote(connection, `pgrep -f '^sleep ${tag.replace('.', '[.]')}' | wc -l`)).trim())).toBe(1);
    // the watchdog: 5 * (1 + ceil(3/5)) = 10 s after launch
    const launchedAt = Date.parse((events[0] as { time: string }).time);
    let record = '';
    while (Date.now() - launchedAt < 20_000) {
      record = await remote(connection, `cat ${shellQuote(file)}`);
      if (record.includes('Timeout exceeded')) break;
      await sleepMs(250);
    }
    const killedAfter = Date.now() - launchedAt;
    expect(record).toMatch(/^\{"msg": "Timeout exceeded", "failed": true, "child_pid": \d+\}$/);
    expect(killedAfter).toBeGreaterThanOrEqual(9_500);
    expect(killedAfter).toBeLessThan(14_000);
    let left = -1;
    for (let i = 0; i < 20 && left !== 0; i++) {
      await sleepMs(250);
      left = Number((await remote(connection, `pgrep -f '^sleep ${tag.replace('.', '[.]')}' | wc -l`)).trim());
    }
    expect(left).toBe(0);
    expect((await remote(connection, `cat ${shellQuote(scratch)}`)).trim()).toBe('begin');
  }, 40_000);
});
