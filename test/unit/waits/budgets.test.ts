/** Exact wait budgets for the article's examples, the old docs mistake, templated values, loops and plays. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlaybook, walkPlay, type Play, type Task } from '../../../runtime/playbook';
import { playBudget, taskBudget, type TaskBudget } from '../../../runtime/waits';
import { examplesDir, fixturesDir, load } from '../playbook/corpus';

function named(play: Play, name: string): Task {
  const task = [...walkPlay(play)].find((t) => t.name === name);
  if (!task) throw new Error(`no task named ${name}`);
  return task;
}

function budgetOf(file: string, name: string, coreVersion?: string): TaskBudget {
  const play = load(file).plays[0];
  return taskBudget(named(play, name), { play, coreVersion });
}

const example = (f: string) => join(examplesDir, f);

describe('examples', () => {
  it('basic-async-status: join 120 × 30 s = 3,600 s covers async 3,600 s', () => {
    const b = budgetOf(example('basic-async-status.yml'), 'Wait for system update to complete');
    expect(b.kind).toBe('join');
    expect(b.seconds).toBe(3600);
    expect(b.attempts).toBe(121);
    expect(b.delay).toBe(30);
    expect(b.join).toMatchObject({ waitSeconds: 3600, asyncLimit: 3600, covers: true });
    expect(b.join?.reference?.registerName).toBe('update_job');
    expect(b.join?.reference?.launch?.name).toBe('Start long-running system update');
    expect(b.text).toBe('⏱ ≤ 3,600 s (120 × 30 s) · covers async 3,600 s');
    const launch = budgetOf(example('basic-async-status.yml'), 'Start long-running system update');
    expect(launch).toMatchObject({ kind: 'async', seconds: 0, relevant: true });
    expect(launch.async).toMatchObject({ mode: 'launch', limit: 3600, killAfterSeconds: 3605 });
    expect(launch.text).toBe('⏱ launch only · job limit 3,600 s, killed at ~3,605 s');
    expect(playBudget(load(example('basic-async-status.yml')).plays[0])).toMatchObject({ seconds: 3600, unbounded: false, text: '⏱ play worst case per host: ≤ 3,600 s' });
  });

  it('multi-async-wait: each join covers its launch; the play sums the joins', () => {
    const file = example('multi-async-wait.yml');
    const expected: [string, number, number][] = [
      ['Wait for download', 600, 600],
      ['Wait for compilation', 1200, 1200],
      ['Wait for certificate generation', 300, 300],
    ];
    for (const [name, seconds, limit] of expected) {
      const b = budgetOf(file, name);
      expect(b.seconds, name).toBe(seconds);
      expect(b.join?.asyncLimit, name).toBe(limit);
      expect(b.join?.covers, name).toBe(true);
    }
    expect(playBudget(load(file).plays[0]).seconds).toBe(2100);
  });

  it('async-loop-wait: the join loops over the launch results; 3 items from the play vars', () => {
    const b = budgetOf(example('async-loop-wait.yml'), 'Wait for all downloads to complete');
    expect(b.items).toBe(3);
    expect(b.seconds).toBe(1800);
    expect(b.join?.reference).toMatchObject({ registerName: 'download_jobs', viaResults: true, launchInLoop: true });
    expect(b.join?.covers).toBe(true);
    expect(b.text).toBe('⏱ ≤ 1,800 s (3 items × 40 × 15 s) · covers async 600 s · with datasets = 3 items (play vars)');
    expect(playBudget(load(example('async-loop-wait.yml')).plays[0]).seconds).toBe(1800);
  });

  it('rolling-async-deploy: uri until counts its timeout per attempt; the play is unbounded by named tasks', () => {
    const health = budgetOf(example('rolling-async-deploy.yml'), 'Wait for health check');
    expect(health.kind).toBe('until');
    expect(health.seconds).toBe(11 * 30 + 10 * 5);
    expect(health.text).toBe('⏱ ≤ 380 s (11 × 30 s + 10 × 5 s)');
    const join = budgetOf(example('rolling-async-deploy.yml'), 'Wait for download to complete');
    expect(join.text).toBe('⏱ ≤ 300 s (30 × 10 s) · covers async 300 s');
    const play = playBudget(load(example('rolling-async-deploy.yml')).plays[0]);
    expect(play.unbounded).toBe(true);
    expect(play.seconds).toBeNull();
    expect(play.unboundedTasks.map((t) => t.name)).toEqual(['Stop application gracefully', 'Backup current version', 'Extract new release', 'Start application']);
    expect(play.text).toContain('"Stop application gracefully"');
  });

  it('async-cleanup: the cleanup call is no join; async-error-handling: a command in a block makes it unbounded', () => {
    const cleanup = budgetOf(example('async-cleanup.yml'), 'Clean up job status file');
    expect(cleanup.kind).toBe('task');
    expect(cleanup.join).toBeUndefined();
    expect(playBudget(load(example('async-cleanup.yml')).plays[0]).seconds).toBe(3600);
    const handling = playBudget(load(example('async-error-handling.yml')).plays[0]);
    expect(handling.unboundedTasks.map((t) => t.name)).toEqual(['Run rollback']);
    expect(budgetOf(example('async-error-handling.yml'), 'Wait for migration to complete').join?.covers).toBe(true);
  });

  it('inspect-status: a single status check claims no coverage', () => {
    const b = budgetOf(example('inspect-status.yml'), 'Check status immediately');
    expect(b.kind).toBe('join');
    expect(b.seconds).toBe(0);
    expect(b.text).toBe('⏱ single status check (no until/retries)');
  });
});

describe('the old docs mistake', () => {
  it('async 1000 joined with 30 retries × default 5 s = 150 s is not covered', () => {
    const b = budgetOf(join(fixturesDir, 'old-docs-join.yml'), 'Check on an async task');
    expect(b.seconds).toBe(150);
    expect(b.delay).toBe(5);
    expect(b.join).toMatchObject({ waitSeconds: 150, asyncLimit: 1000, covers: false });
    expect(b.text).toBe('⏱ ≤ 150 s (30 × 5 s) · shorter than async 1,000 s');
    expect(b.formula).toContain('delay = 5 (default)');
  });
});

describe('templated values', () => {
  const file = join(fixturesDir, 'templated-waits.yml');

  it('follow play vars, through another var', () => {
    const b = budgetOf(file, 'join with retries from vars and delay through another var');
    expect(b.seconds).toBe(300);
    expect(b.join).toMatchObject({ asyncLimit: 600, covers: false });
    expect(b.uses.map((u) => [u.name, u.value])).toEqual([['checks', 20], ['pause_between', 15], ['base_delay', 15]]);
    expect(b.text).toBe('⏱ ≤ 300 s (20 × 15 s) · shorter than async 600 s · with checks = 20 (play vars), pause_between = 15 (play vars), base_delay = 15 (play vars)');
  });

  it('a variable the playbook does not define: depends on', () => {
    const b = budgetOf(file, 'retries from inventory only');
    expect(b.seconds).toBeNull();
    expect(b.unbounded).toBe(false);
    expect(b.dependsOn).toEqual(['health_checks']);
    expect(b.text).toBe('⏱ depends on {{ health_checks }}');
  });

  it('default() gives the value, and known vars from elsewhere are used', () => {
    const b = budgetOf(file, 'retries with a default');
    expect(b.attempts).toBe(5);
    expect(b.seconds).toBe(5 * 5 + 4 * 1);
    const play = load(file).plays[0];
    const withInventory = taskBudget(named(play, 'retries from inventory only'), { play, vars: { health_checks: 9 } });
    expect(withInventory.seconds).toBe(10 * 30 + 9 * 2);
  });

  it('task vars win over play vars', () => {
    const b = budgetOf(file, 'task vars win over play vars');
    expect(b.async).toMatchObject({ limit: 30, poll: 10, checks: 3, waitSeconds: 30, killAfterSeconds: 35 });
    expect(b.text).toBe('⏱ ≤ 30 s (3 checks × 10 s) · killed at ~35 s · with job_limit = 30 (task vars)');
  });

  it('the play sums what it knows and names what it depends on', () => {
    const p = playBudget(load(file).plays[0]);
    expect(p.seconds).toBeNull();
    expect(p.dependsOn).toEqual(['health_checks']);
    expect(p.knownSeconds).toBe(300 + 29 + 30);
    expect(p.text).toBe('⏱ play worst case per host: ≥ 359 s; depends on {{ health_checks }} ("retries from inventory only")');
  });
});

function inline(tasks: string, vars = '') {
  const playbook = parsePlaybook('/tmp/inline.yml', `- hosts: all\n${vars}  tasks:\n${tasks.replace(/^/gm, '    ')}\n`);
  expect(playbook.problems.filter((p) => p.severity === 'error')).toEqual([]);
  const play = playbook.plays[0];
  return (i: number, coreVersion?: string) => taskBudget(play.tasks[i], { play, coreVersion });
}

describe('edge values (SEMANTICS.md)', () => {
  it('poll default 15; poll > async; async < 0 never polled; poll ≤ 0 is fire and forget', () => {
    const b = inline('- command: x\n  async: 45\n- command: x\n  async: 10\n  poll: 30\n- command: x\n  async: -5\n  poll: 2\n- command: x\n  async: 5\n  poll: -1');
    expect(b(0).async).toMatchObject({ poll: 15, checks: 3, waitSeconds: 45, mode: 'poll' });
    expect(b(1).async).toMatchObject({ checks: 1, waitSeconds: 30 });
    expect(b(2).async).toMatchObject({ mode: 'launch', killAfterSeconds: null });
    expect(b(2).text).toBe('⏱ launch only · never polled');
    expect(b(3).async).toMatchObject({ mode: 'launch', limit: 5, killAfterSeconds: 10 });
  });

  it('async: 0 is synchronous; poll alone changes nothing', () => {
    const b = inline('- command: x\n  async: 0\n  poll: 5\n- command: x\n  poll: 5');
    expect(b(0).async).toBeUndefined();
    expect(b(0).unbounded).toBe(true);
    expect(b(1).kind).toBe('task');
  });

  it('retries without until: 1 attempt before 2.16, retried after', () => {
    const b = inline('- uri: url=http://x\n  retries: 3\n  delay: 2');
    expect(b(0, '2.14')).toMatchObject({ attempts: 1, seconds: 30 });
    expect(b(0, '2.16')).toMatchObject({ attempts: 4, seconds: 4 * 30 + 3 * 2 });
  });

  it('float delay: truncated before 2.17.5', () => {
    const b = inline('- wait_for: timeout=1\n  register: r\n  until: r is succeeded\n  retries: 2\n  delay: 1.9');
    expect(b(0, '2.14')).toMatchObject({ delay: 1, seconds: 3 * 1 + 2 * 1 });
    expect(b(0, '2.19')).toMatchObject({ delay: 1.9, seconds: 3 * 1 + 2 * 1.9 });
  });

  it('until on an async task relaunches the job each attempt', () => {
    const b = inline('- command: x\n  async: 10\n  poll: 5\n  register: r\n  until: r.rc == 0\n  retries: 2\n  delay: 1');
    expect(b(0).attempts).toBe(3);
    expect(b(0).seconds).toBe(3 * 10 + 2 * 1);
    expect(b(0).text).toContain('× 3 launches');
  });

  it('task timeout bounds a synchronous attempt; pause counts its seconds (at least 1)', () => {
    const b = inline('- command: sleep 100\n  timeout: 20\n- pause:\n    seconds: 0\n- pause:\n    minutes: 2\n- pause:\n    prompt: go?');
    expect(b(0)).toMatchObject({ seconds: 20, relevant: true, text: '⏱ ≤ 20 s (timeout 20 s)' });
    expect(b(1).seconds).toBe(1);
    expect(b(2).seconds).toBe(120);
    expect(b(3).unbounded).toBe(true);
  });

  it('loops multiply, with loop_control.pause between items', () => {
    const b = inline('- uri: url=http://x\n  loop: [1, 2, 3]\n  loop_control:\n    pause: 2\n- wait_for: timeout=5\n  with_items: [[1, 2], 3]\n- wait_for: timeout=5\n  loop: []');
    expect(b(0).seconds).toBe(3 * 30 + 2 * 2);
    expect(b(1).seconds).toBe(3 * 5);
    expect(b(2).seconds).toBe(0);
  });

  it('loop counts from range() and with_sequence', () => {
    const b = inline('- wait_for: timeout=2\n  loop: "{{ range(5) | list }}"\n- wait_for: timeout=2\n  loop: "{{ range(1, 10, 3) }}"\n- wait_for: timeout=2\n  with_sequence: start=1 end=4\n- wait_for: timeout=2\n  with_sequence: count=6');
    expect([0, 1, 2, 3].map((i) => b(i).items)).toEqual([5, 3, 4, 6]);
    expect(b(0).seconds).toBe(10);
  });

  it('jid of a loop launch read at the top level is found, flagged as a loop launch', () => {
    const b = inline('- command: x\n  async: 100\n  poll: 0\n  loop: [1, 2]\n  register: jobs\n- async_status:\n    jid: "{{ jobs.ansible_job_id }}"\n  register: s\n  until: s.finished\n  retries: 30\n  delay: 5');
    expect(b(1).join?.reference).toMatchObject({ registerName: 'jobs', viaResults: false, launchInLoop: true });
  });

  it('custom loop_var and indexed results are followed', () => {
    const b = inline(
      '- command: x\n  async: 20\n  poll: 0\n  register: jobs\n  loop: [1]\n' +
        '- async_status:\n    jid: "{{ job.ansible_job_id }}"\n  loop: "{{ jobs.results }}"\n  loop_control:\n    loop_var: job\n  register: s\n  until: s.finished\n  retries: 4\n' +
        '- async_status:\n    jid: "{{ jobs.results[0].ansible_job_id }}"\n  register: t\n  until: t.finished\n  retries: 4',
    );
    expect(b(1).join).toMatchObject({ asyncLimit: 20, covers: true, waitSeconds: 20 });
    expect(b(1).items).toBe(1);
    expect(b(2).join?.reference).toMatchObject({ registerName: 'jobs', viaResults: true });
  });

  it('invalid values fail at once with the run-time message', () => {
    const b = inline('- command: x\n  retries: lots\n  until: false');
    expect(b(0).failsAtOnce).toBe("the field 'retries' has an invalid value (lots), and could not be converted to an int.The error was: invalid literal for int() with base 10: 'lots'");
    expect(b(0).invalid[0].keyword).toBe('retries');
  });
});
