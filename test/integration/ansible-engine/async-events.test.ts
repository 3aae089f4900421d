import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sshd } from '../../host/sshd';
import { names, ofType, runAnsible } from './harness';

/**
 * The jobs wait for a release file the test creates once it has seen the event it wants (a poll, a retry), so the
 * sequence does not depend on how fast a loaded machine runs Ansible. The remote HOME is on this machine.
 */
function releaseFile(): string {
  const dir = join(sshd().home, 'ansible-engine-tests');
  mkdirSync(dir, { recursive: true });
  return join(dir, `release-${process.pid}-${Math.random().toString(36).slice(2)}`);
}
const waitFor = (file: string): string => `sh -c 'while [ ! -e ${file} ]; do sleep 0.2; done'`;
const SLOW_MACHINE_MS = 240_000;

describe('ansible engine: async events from real ansible-playbook', () => {
  it('poll > 0 reports polls, async ok and the final result under the user task', async () => {
    const release = releaseFile();
    const run = await runAnsible(`
- name: async poll
  hosts: h1
  gather_facts: false
  tasks:
    - name: sleep with poll 1
      ansible.builtin.command: ${waitFor(release)}
      async: 120
      poll: 1
`, { onEvent: (event) => event.event === 'runner_on_async_poll' && writeFileSync(release, '') });
    rmSync(release, { force: true });
    expect(run.rc).toBe(0);
    const taskStart = ofType(run.events, 'playbook_on_task_start')[0]!;
    expect(taskStart).toMatchObject({ task: 'sleep with poll 1', async: 120, poll: 1, action: 'ansible.builtin.command' });
    expect(taskStart.task_path).toMatch(/playbook\.yml:6$/);
    expect(taskStart.position).toMatchObject({ line: 6, column: 7 });

    const polls = ofType(run.events, 'runner_on_async_poll');
    expect(polls.length).toBeGreaterThanOrEqual(1);
    polls.forEach((poll, index) => expect(poll).toMatchObject({ taskId: taskStart.taskId, task: 'sleep with poll 1', host: 'h1', started: 1, finished: 0, poll: index + 1, polls: 120 }));
    expect(polls[0]!.jid).toMatch(/^j\d+\.\d+$/);
    const asyncOk = ofType(run.events, 'runner_on_async_ok');
    expect(asyncOk).toHaveLength(1);
    expect(asyncOk[0]!.jid).toBe(polls[0]!.jid);

    const sequence = names(run.events).filter((name) => name !== 'runner_on_async_poll' && name !== 'job_status');
    expect(sequence).toEqual([
      'playbook_on_start',
      'playbook_on_play_start',
      'playbook_on_task_start',
      'runner_on_start',
      'job_started',
      'runner_on_async_ok',
      'job_joined',
      'job_cleaned',
      'runner_on_ok',
      'playbook_on_stats',
    ]);
    // the job's life as the Jobs tree and `jobs attach` read it
    const jid = polls[0]!.jid;
    expect(ofType(run.events, 'job_started')[0]).toMatchObject({ jid, task: 'sleep with poll 1', async: 120, poll: 1, coreVersion: '2.14.18' });
    expect(ofType(run.events, 'job_started')[0]!.target).toEqual({
      address: sshd().hosts[0], port: sshd().port, user: sshd().user, privateKeyPath: sshd().privateKey, knownHostsPath: sshd().knownHosts,
    });
    const statuses = ofType(run.events, 'job_status');
    expect(statuses.map((s) => s.state)).toEqual([...polls.map(() => 'running'), 'finished']);
    expect(statuses.map((s) => s.polls)).toEqual(statuses.map((_, i) => i + 1));
    expect(statuses[statuses.length - 1]).toMatchObject({ jid, finished: true, rc: 0 });
    expect(ofType(run.events, 'job_joined')[0]).toMatchObject({ jid, state: 'finished' });
    const ok = ofType(run.events, 'runner_on_ok')[0]!;
    expect(ok.result).toMatchObject({ finished: 1, rc: 0, ansible_job_id: polls[0]!.jid });
    expect(ok.changed).toBe(true);
    expect(ofType(run.events, 'playbook_on_stats')[0]).toMatchObject({ rc: 0, stats: { h1: { ok: 1, changed: 1, failed: 0 } } });
    expect(run.events.map((e) => e.seq)).toEqual(run.events.map((_, i) => i + 1));
  }, SLOW_MACHINE_MS);

  it('poll 0 emits job_started, and async_status until emits runner_retry with attempts/retries', async () => {
    const release = releaseFile();
    const run = await runAnsible(`
- name: fire and forget
  hosts: h1
  gather_facts: false
  tasks:
    - name: launch
      ansible.builtin.command: ${waitFor(release)}
      async: 120
      poll: 0
      register: job
    - name: join
      ansible.builtin.async_status:
        jid: "{{ job.ansible_job_id }}"
      register: done
      until: done.finished
      retries: 30
      delay: 1
`, { onEvent: (event) => event.event === 'runner_retry' && writeFileSync(release, '') });
    rmSync(release, { force: true });
    expect(run.rc).toBe(0);
    const started = ofType(run.events, 'job_started');
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ task: 'launch', host: 'h1', async: 120, poll: 0, register: 'job' });
    expect(started[0]!.resultsFile).toBe(`${sshd().home}/.ansible_async/${started[0]!.jid}`);
    expect(Date.parse(started[0]!.deadline) - Date.parse(started[0]!.time)).toBeGreaterThan(110_000);
    const launchOk = ofType(run.events, 'runner_on_ok')[0]!;
    expect(launchOk.result).toMatchObject({ ansible_job_id: started[0]!.jid, finished: 0, started: 1, changed: true });

    const joinStart = ofType(run.events, 'playbook_on_task_start')[1]!;
    expect(joinStart).toMatchObject({ task: 'join', hasUntil: true, retries: 30, delay: 1 });
    const retries = ofType(run.events, 'runner_retry');
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(retries.length).toBeLessThan(30);
    retries.forEach((retry, index) => {
      expect(retry).toMatchObject({ task: 'join', host: 'h1', attempts: index + 1, retries: 31, delay: 1 });
      expect(retry.result).toMatchObject({ ansible_job_id: started[0]!.jid, finished: 0 });
    });
    const joined = ofType(run.events, 'runner_on_ok')[1]!;
    expect(joined.result).toMatchObject({ finished: 1, attempts: retries.length + 1, rc: 0 });
    expect(ofType(run.events, 'runner_on_async_poll')).toHaveLength(0);
    // every async_status read is a job_status; the one that saw the end joins the job
    const statuses = ofType(run.events, 'job_status');
    expect(statuses.map((s) => s.state)).toEqual([...retries.map(() => 'running'), 'finished']);
    expect(statuses.every((s) => s.jid === started[0]!.jid && s.task === 'join')).toBe(true);
    expect(ofType(run.events, 'job_joined')).toMatchObject([{ jid: started[0]!.jid, state: 'finished' }]);
    expect(ofType(run.events, 'playbook_on_stats')[0]).toMatchObject({ rc: 0, stats: { h1: { ok: 2, changed: 2 } } });
  }, SLOW_MACHINE_MS);
});
