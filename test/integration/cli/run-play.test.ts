/**
 * `playbook-studio run --play N|NAME` against the test sshd: only the chosen plays run (an import_playbook entry
 * counts as one entry of the file), the start event announces the run's task count, and bad selections are
 * usage errors naming the file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../../runtime/events/journal';
import type { RunEvent } from '../../../runtime/events/types';
import { sshd, writeInventory } from '../../host/sshd';
import { buildCli, runCli } from '../runtime/cli-build';
import { tempDir } from '../runtime/helpers';

let cli: string;
beforeAll(async () => {
  cli = await buildCli();
});

const PLAYBOOK = `
- name: first
  hosts: all
  gather_facts: false
  tasks:
    - name: one
      command: echo one
- import_playbook: imported.yml
- name: last
  hosts: all
  gather_facts: false
  tasks:
    - name: three
      command: echo three
    - name: four
      command: echo four
  handlers:
    - name: never notified
      command: echo h
`;

const IMPORTED = `
- name: imported A
  hosts: all
  gather_facts: false
  tasks:
    - name: two-a
      command: echo a
- name: imported B
  hosts: all
  tasks:
    - name: two-b
      command: echo b
`;

function setup() {
  const dir = tempDir('ps-play-');
  writeFileSync(join(dir, 'site.yml'), PLAYBOOK);
  writeFileSync(join(dir, 'imported.yml'), IMPORTED);
  const inventory = writeInventory(join(dir, 'inventory'), 1);
  return { dir, playbook: join(dir, 'site.yml'), inventory, journal: join(dir, 'run.jsonl') };
}

async function run(extra: string[]) {
  const s = setup();
  const res = await runCli(cli, ['run', s.playbook, '-i', s.inventory, '--known-hosts', sshd().knownHosts, '--host-key-policy', 'strict', '--journal', s.journal, ...extra]);
  const events = readJournal(s.journal).events as RunEvent[];
  const plays = events.filter((e) => e.event === 'playbook_on_play_start').map((e) => (e as { play: string }).play);
  const tasks = events.filter((e) => e.event === 'playbook_on_task_start').map((e) => (e as { task: string }).task);
  const start = events.find((e) => e.event === 'playbook_on_start') as { taskCount?: number } | undefined;
  return { res, plays, tasks, taskCount: start?.taskCount };
}

describe('playbook-studio run --play', () => {
  it('runs every play without --play and announces the task count (gathering facts and handlers included)', async () => {
    const { res, plays, tasks, taskCount } = await run([]);
    expect(res.code, res.stderr).toBe(0);
    expect(plays).toEqual(['first', 'imported A', 'imported B', 'last']);
    expect(tasks).toEqual(['one', 'two-a', 'Gathering Facts', 'two-b', 'three', 'four']);
    // one + two-a + (facts + two-b) + three + four + the handler that is never notified
    expect(taskCount).toBe(7);
  });

  it('runs only the numbered play, and the task count is that play’s', async () => {
    const { res, plays, tasks, taskCount } = await run(['--play', '3']);
    expect(res.code, res.stderr).toBe(0);
    expect(plays).toEqual(['last']);
    expect(tasks).toEqual(['three', 'four']);
    expect(taskCount).toBe(3);
    expect(res.stdout).not.toContain('echo one');
  });

  it('an import_playbook entry selects every play it imports; numbers and names combine in file order', async () => {
    const { res, plays, taskCount } = await run(['--play', 'last', '--play=2']);
    expect(res.code, res.stderr).toBe(0);
    expect(plays).toEqual(['imported A', 'imported B', 'last']);
    expect(taskCount).toBe(6);
  });

  it('a name matches a play inside an imported playbook too', async () => {
    const { res, plays } = await run(['--play', 'imported B']);
    expect(res.code, res.stderr).toBe(0);
    expect(plays).toEqual(['imported B']);
  });

  it('a number past the last entry or an unknown name is an error naming the file, before any host is contacted', async () => {
    const past = await run(['--play', '4']);
    expect(past.res.code).toBe(5);
    expect(past.res.stderr).toMatch(/--play 4: .*site\.yml has 3 entries/);
    expect(past.plays).toEqual([]);
    const unknown = await run(['--play', 'nope']);
    expect(unknown.res.code).toBe(5);
    expect(unknown.res.stderr).toContain('--play "nope": no play of that name');
    expect(unknown.res.stderr).toContain('"imported A"');
  });

  it('rejects 0, an empty value and the ansible engine as usage errors', async () => {
    const s = setup();
    for (const args of [['--play', '0'], ['--play', ' '], ['--play', '1', '--engine', 'ansible']]) {
      const res = await runCli(cli, ['run', s.playbook, '-i', s.inventory, ...args]);
      expect(res.code, args.join(' ')).toBe(5);
      expect(res.stderr).toMatch(/--play/);
    }
  });
});
