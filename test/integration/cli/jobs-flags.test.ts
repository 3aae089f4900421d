/**
 * `playbook-studio jobs cleanup --jid/--host` (one job, not the whole run), `jobs attach --events` (the same event
 * stream as a run) and the task id that join events carry, against the test sshd.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../../runtime/events/journal';
import type { JobEndEvent, RunEvent, TaskStartEvent } from '../../../runtime/events/types';
import { sshd, writeInventory } from '../../host/sshd';
import { buildCli, runCli } from '../runtime/cli-build';
import { tempDir } from '../runtime/helpers';

let cli: string;
beforeAll(async () => {
  cli = await buildCli();
});

async function runPlaybook(playbook: string, hosts: number) {
  const dir = tempDir('ps-jobs-');
  writeFileSync(join(dir, 'site.yml'), playbook);
  const inventory = writeInventory(join(dir, 'inventory'), hosts);
  const journal = join(dir, 'run.jsonl');
  const res = await runCli(cli, ['run', join(dir, 'site.yml'), '-i', inventory, '--known-hosts', sshd().knownHosts, '--host-key-policy', 'strict', '--journal', journal]);
  expect(res.code, res.stdout + res.stderr).toBe(0);
  return { dir, journal, events: () => readJournal(journal).events as RunEvent[] };
}

const started = (events: RunEvent[]) => events.filter((e): e is Extract<RunEvent, { event: 'job_started' }> => e.event === 'job_started');

const QUICK_JOBS = `
- hosts: all
  gather_facts: false
  tasks:
    - name: quick background job
      command: "true"
      async: 30
      poll: 0
    - name: let it finish
      command: sleep 1
`;

describe('playbook-studio jobs cleanup --jid/--host', () => {
  it('removes the status file of that job only and journals it as cleaned', async () => {
    const run = await runPlaybook(QUICK_JOBS, 2);
    const jobs = started(run.events());
    expect(jobs.map((j) => j.host).sort()).toEqual(['h1', 'h2']);
    const h1 = jobs.find((j) => j.host === 'h1')!;
    const h2 = jobs.find((j) => j.host === 'h2')!;

    const one = await runCli(cli, ['jobs', 'cleanup', run.journal, '--jid', h1.jid, '--json']);
    expect(one.code, one.stderr).toBe(0);
    const outcomes = one.stdout.trim().split('\n').map((line) => JSON.parse(line) as { jid: string; action: string });
    expect(outcomes).toEqual([expect.objectContaining({ jid: h1.jid, action: 'erased' })]);
    const cleaned = run.events().filter((e) => e.event === 'job_cleaned');
    expect(cleaned).toEqual([expect.objectContaining({ jid: h1.jid, host: 'h1', taskId: h1.taskId, state: 'cleaned' })]);

    // h2's file was left alone: cleaning it by host still finds and erases it; h1 is not touched again.
    const byHost = await runCli(cli, ['jobs', 'cleanup', run.journal, '--host', 'h2']);
    expect(byHost.code, byHost.stderr).toBe(0);
    expect(byHost.stdout.trim().split('\n')).toEqual([`h2: jid=${h2.jid} erased: ${sshd().home}/.ansible_async/${h2.jid}`]);
    const again = await runCli(cli, ['jobs', 'cleanup', run.journal, '--jid', h1.jid]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
  });

  it('a jid or host the journal does not have is an error naming the journal', async () => {
    const run = await runPlaybook(QUICK_JOBS, 1);
    const jid = await runCli(cli, ['jobs', 'cleanup', run.journal, '--jid', '123.456']);
    expect(jid.code).toBe(5);
    expect(jid.stderr).toContain(`${run.journal}: no async job jid=123.456`);
    const host = await runCli(cli, ['jobs', 'cleanup', run.journal, '--host', 'h9']);
    expect(host.code).toBe(5);
    expect(host.stderr).toContain('no async job of host h9 (hosts with jobs: h1)');
    const misuse = await runCli(cli, ['jobs', 'list', run.journal, '--jid', '1']);
    expect(misuse.code).toBe(5);
    expect(misuse.stderr).toContain('--jid and --host are options of cleanup');
    const empty = await runCli(cli, ['jobs', 'cleanup', run.journal, '--jid']);
    expect(empty.code).toBe(5);
    expect(empty.stderr).toContain('--jid needs a value');
  });
});

describe('playbook-studio jobs attach --events', () => {
  it('streams the job events as JSON lines on stdout, with the launch task id, and the report on stderr', async () => {
    const run = await runPlaybook(
      `
- hosts: all
  gather_facts: false
  tasks:
    - name: outlives the run
      command: sleep 2
      async: 30
      poll: 0
`,
      2,
    );
    const jobs = started(run.events());
    expect(jobs).toHaveLength(2);
    const res = await runCli(cli, ['jobs', 'attach', run.journal, '--events', '-']);
    expect(res.code, res.stderr).toBe(0);
    const events = res.stdout.trim().split('\n').map((line) => JSON.parse(line) as RunEvent);
    expect(events.every((e) => typeof e.event === 'string' && typeof e.seq === 'number')).toBe(true);
    const joined = events.filter((e) => e.event === 'job_joined') as JobEndEvent[];
    expect(joined.map((e) => `${e.host}/${e.jid}/${e.taskId}/${e.state}`).sort()).toEqual(jobs.map((j) => `${j.host}/${j.jid}/${j.taskId}/finished`).sort());
    expect(events.some((e) => e.event === 'job_status')).toBe(true);
    expect(res.stderr).toContain('attaching to 2 job(s)');
    expect(res.stderr).toMatch(/FINISHED: \[h1\] jid=/);
    // the journal got the same events
    const journaled = run.events().filter((e) => e.event === 'job_joined');
    expect(journaled).toHaveLength(2);

    // with --json the outcomes share stdout with the events; they carry no `event` field
    const toFile = join(run.dir, 'attach-events.jsonl');
    const again = await runCli(cli, ['jobs', 'attach', run.journal, '--json', '--events', toFile]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to attach');
  });
});

describe('join events', () => {
  it('job_status and job_joined from an async_status join carry the join task’s id, as its start event does', async () => {
    const run = await runPlaybook(
      `
- hosts: all
  gather_facts: false
  tasks:
    - name: launch
      command: sleep 1
      async: 30
      poll: 0
      register: launched
    - name: join
      async_status:
        jid: "{{ launched.ansible_job_id }}"
      register: done
      until: done.finished
      retries: 20
      delay: 1
`,
      1,
    );
    const events = run.events();
    const joinStart = events.find((e) => e.event === 'playbook_on_task_start' && e.task === 'join') as TaskStartEvent;
    expect(joinStart.taskId).toMatch(/^task-\d+$/);
    const fromJoin = events.filter((e) => (e.event === 'job_status' || e.event === 'job_joined') && e.task === 'join');
    expect(fromJoin.length).toBeGreaterThanOrEqual(2);
    for (const event of fromJoin) expect((event as { taskId: string }).taskId).toBe(joinStart.taskId);
  });
});
