/**
 * The Jobs tree model fed with event streams shaped like the runtime's (a poll: 0 launch joined by async_status
 * with retries, a poll > 0 job, a timeout, a failure) and the labels the tree shows for them.
 */
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../runtime/events/types';
import { RunModel, childrenOf, findNode, positionFromTaskPath } from '../../../client/jobs/model';
import { formatDuration, hostText, jobText, runText, statusText } from '../../../client/jobs/labels';

const t0 = Date.parse('2026-01-01T10:00:00.000Z');
let seq = 0;
function ev<E extends RunEvent['event']>(event: E, secondsAfterStart: number, fields: Record<string, unknown>): RunEvent {
  return { event, seq: ++seq, run: 'r1', time: new Date(t0 + secondsAfterStart * 1000).toISOString(), ...fields } as unknown as RunEvent;
}

const play = { play: 'Deploy', playId: 'p1' };
const launch = { taskId: 't1', task: 'Start build' };
const join = { taskId: 't2', task: 'Wait for build' };

function launchedRun(): RunModel {
  const run = new RunModel('r1', '/ws/playbooks/site.yml', t0, '/ws');
  const events: RunEvent[] = [
    ev('playbook_on_start', 0, { playbook: '/ws/playbooks/site.yml', engine: 'bundled', coreVersion: '2.19', pid: 1, taskCount: 2 }),
    ev('playbook_on_play_start', 0, { ...play, hosts: ['h1', 'h2'], position: { file: 'playbooks/site.yml', line: 1, column: 3 } }),
    ev('playbook_on_task_start', 0.1, { ...play, ...launch, action: 'command', async: 600, poll: 0, task_path: 'playbooks/site.yml:5' }),
    ev('runner_on_start', 0.1, { ...launch, host: 'h1' }),
    ev('runner_on_start', 0.1, { ...launch, host: 'h2' }),
    ev('job_started', 0.3, { ...launch, host: 'h1', jid: 'j1.1', async: 600, poll: 0, deadline: new Date(t0 + 600_300).toISOString(), resultsFile: '~/.ansible_async/j1.1' }),
    ev('runner_on_ok', 0.3, { ...launch, host: 'h1', changed: true, result: { ansible_job_id: 'j1.1', started: 1, finished: 0, changed: true, failed: 0 } }),
    ev('job_started', 0.3, { ...launch, host: 'h2', jid: 'j2.2', async: 600, poll: 0, deadline: new Date(t0 + 600_300).toISOString(), resultsFile: '~/.ansible_async/j2.2' }),
    ev('runner_on_ok', 0.3, { ...launch, host: 'h2', changed: true, result: { ansible_job_id: 'j2.2', started: 1, finished: 0, changed: true, failed: 0 } }),
    ev('playbook_on_task_start', 0.4, { ...play, ...join, action: 'async_status', retries: 120, delay: 5, hasUntil: true, budgetSeconds: 600, position: { file: 'playbooks/site.yml', line: 11, column: 7 } }),
    ev('runner_on_start', 0.4, { ...join, host: 'h1' }),
    ev('runner_on_start', 0.4, { ...join, host: 'h2' }),
  ];
  for (const e of events) run.apply(e);
  return run;
}

describe('Jobs model', () => {
  it('builds run → play → task → host → job from a poll: 0 launch', () => {
    const run = launchedRun();
    expect(run.node.plays.map((p) => p.name)).toEqual(['Deploy']);
    const [launchTask, joinTask] = run.node.plays[0].tasks;
    expect(launchTask.name).toBe('Start build');
    expect(launchTask.position).toEqual({ file: 'playbooks/site.yml', line: 5, column: 1 });
    expect(launchTask.hosts.map((h) => [h.host, h.state])).toEqual([['h1', 'changed'], ['h2', 'changed']]);
    expect(launchTask.hosts.map((h) => h.jobs.map((j) => [j.jid, j.state, j.background, j.asyncLimit]))).toEqual([[['j1.1', 'running', true, 600]], [['j2.2', 'running', true, 600]]]);
    expect(joinTask.hosts.every((h) => h.state === 'running')).toBe(true);
    expect(run.runningJobs()).toHaveLength(2);
    expect(childrenOf(run.node)).toBe(run.node.plays);
    expect(findNode(run.node, 'job:r1:h2:j2.2')?.kind).toBe('job');
    expect(statusText(run.node)).toBe('▶ site.yml 2/2 · 2 jobs');
  });

  it('never shows more tasks started than announced: a dynamic include raises the total with them', () => {
    const run = launchedRun();
    run.apply(ev('playbook_on_task_start', 0.5, { ...play, taskId: 't3', task: 'included later', action: 'command' }));
    run.apply(ev('runner_on_start', 0.5, { taskId: 't3', task: 'included later', host: 'h1' }));
    expect(statusText(run.node)).toBe('▶ site.yml 3/3 · 2 jobs');
  });

  it('shows attempt n/N and the time left of the join on the job while async_status retries', () => {
    const run = launchedRun();
    run.apply(ev('runner_retry', 5.4, { ...join, host: 'h1', attempts: 2, retries: 121, delay: 5, budgetLeft: 590, result: { ansible_job_id: 'j1.1', started: 1, finished: 0, attempts: 2 } }));
    const job = run.jobs().find((j) => j.jid === 'j1.1')!;
    expect(job.attempt).toBe(3);
    expect(job.attempts).toBe(121);
    const now = t0 + 10_400;
    expect(jobText(job, now).description).toBe('running · 10s · attempt 3/121 · 9m 45s left');
    const host = run.node.plays[0].tasks[1].hosts[0];
    expect(hostText(host, now).description).toBe('waiting · attempt 3/121 · 10s · 9m 45s left');
  });

  it('marks a job finished with its rc when the join sees finished, and the run ok after the recap', () => {
    const run = launchedRun();
    for (const host of ['h1', 'h2']) {
      const jid = host === 'h1' ? 'j1.1' : 'j2.2';
      run.apply(ev('job_status', 7, { ...join, host, jid, state: 'finished', elapsedSeconds: 6.7, polls: 3, finished: true, rc: 0 }));
      run.apply(ev('job_joined', 7, { ...join, host, jid, state: 'finished', result: { ansible_job_id: jid, finished: 1, rc: 0, stdout: 'built' } }));
      run.apply(ev('runner_on_ok', 7, { ...join, host, changed: true, result: { ansible_job_id: jid, finished: 1, rc: 0, attempts: 2 } }));
    }
    run.apply(ev('playbook_on_stats', 7.1, { stats: { h1: { ok: 2, changed: 2, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 } }, rc: 0 }));
    run.finish({ exitCode: 0, at: t0 + 7200 });
    expect(run.jobs().map((j) => [j.state, j.rc, j.joined])).toEqual([['finished', 0, true], ['finished', 0, true]]);
    expect(jobText(run.jobs()[0], t0 + 60_000).description).toBe('finished · 7s · rc 0');
    expect(jobText(run.jobs()[0], t0 + 60_000).icon).toBe('pass');
    expect(run.node.state).toBe('ok');
    expect(runText(run.node, t0 + 60_000).description).toBe('ok · 2/2 tasks · 2 jobs · 7s · rc 0');
  });

  it('updates the launch task\'s job from a join\'s job_status, whatever task id the join reports', () => {
    const run = launchedRun();
    run.apply(ev('job_status', 2, { taskId: 'playbooks/site.yml:11', task: 'Wait for build', host: 'h2', jid: 'j2.2', state: 'running', elapsedSeconds: 1.7, polls: 1, finished: false }));
    expect(run.jobs()).toHaveLength(2);
    expect(run.node.plays[0].tasks).toHaveLength(2);
    expect(run.node.plays[0].tasks[1].hosts.every((h) => h.jobs.length === 0)).toBe(true);
    expect(run.jobs()[1].polls).toBe(1);
  });

  it('tracks a poll > 0 job from its async polls to a timeout', () => {
    const run = new RunModel('r2', 'p.yml', t0);
    run.apply(ev('playbook_on_task_start', 0, { ...play, taskId: 't9', task: 'Polled', action: 'command', async: 6, poll: 2 }));
    run.apply(ev('runner_on_async_poll', 2, { taskId: 't9', task: 'Polled', host: 'h1', jid: 'j9.9', started: 1, finished: 0, poll: 1, polls: 3 }));
    expect(jobText(run.jobs()[0], t0 + 2000).description).toBe('running · 2s · poll 1/3');
    run.apply(ev('runner_on_async_failed', 6, { taskId: 't9', task: 'Polled', host: 'h1', jid: 'j9.9', result: { msg: 'async task did not complete within the requested time - 6s', failed: true, async_result: { ansible_job_id: 'j9.9' } } }));
    run.apply(ev('runner_on_failed', 6, { taskId: 't9', task: 'Polled', host: 'h1', result: { msg: 'async task did not complete within the requested time - 6s', failed: true } }));
    expect(run.jobs()[0].state).toBe('timed_out');
    expect(jobText(run.jobs()[0], t0 + 9000).icon).toBe('watch');
  });

  it('records failed tasks with their positions (not ignored ones) for diagnostics', () => {
    const run = launchedRun();
    run.apply(ev('runner_on_failed', 8, { ...join, host: 'h1', result: { msg: 'could not find job', failed: true } }));
    run.apply(ev('runner_on_failed', 8, { ...join, host: 'h2', ignoreErrors: true, result: { msg: 'ignored', failed: true } }));
    expect(run.failures).toEqual([{ runId: 'r1', host: 'h1', task: 'Wait for build', position: { file: 'playbooks/site.yml', line: 11, column: 7 }, message: 'could not find job', unreachable: false }]);
    expect(run.node.plays[0].tasks[1].hosts[1].state).toBe('ignored');
  });

  it('keeps jobs running after the process is gone (for jobs attach) and marks cut-off hosts', () => {
    const run = launchedRun();
    run.finish({ exitCode: null, at: t0 + 9000 });
    expect(run.node.state).toBe('interrupted');
    expect(run.runningJobs()).toHaveLength(2);
    expect(run.node.plays[0].tasks[1].hosts.map((h) => [h.state, h.message])).toEqual([['failed', 'interrupted'], ['failed', 'interrupted']]);
    run.reopen();
    run.apply(ev('job_lost', 30, { ...launch, host: 'h2', jid: 'j2.2', state: 'lost', reason: 'status file missing' }));
    expect(run.jobs().map((j) => j.state)).toEqual(['running', 'lost']);
  });

  it('marks a stopped run cancelled, and ignores unknown events', () => {
    const run = launchedRun();
    expect(run.apply({ event: 'something_new', seq: 99, time: '', run: 'r1' } as unknown as RunEvent)).toBe(false);
    run.finish({ exitCode: 130, cancelled: true });
    expect(run.node.state).toBe('cancelled');
  });

  it('formats durations and task paths', () => {
    expect([formatDuration(4.4), formatDuration(65), formatDuration(3720)]).toEqual(['4s', '1m 05s', '1h 02m']);
    expect(positionFromTaskPath('/a/b.yml:12')).toEqual({ file: '/a/b.yml', line: 12, column: 1 });
    expect(positionFromTaskPath('nocolon')).toBeUndefined();
  });
});
