/**
 * Every shared playbook builds a model without problems, except where real Ansible itself refused the file:
 * then we report the same error at the same line and column (stderr.txt of the recorded case).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { walkPlay, walkPlays } from '../../../runtime/playbook';
import { exampleFiles, load, truthCases } from './corpus';

describe('shared examples', () => {
  for (const path of exampleFiles()) {
    it(`${path.split('/').pop()} parses without problems`, () => {
      const playbook = load(path);
      expect(playbook.problems).toEqual([]);
    });
  }

  it('builds the tasks of basic-async-status.yml with their modules and keywords', () => {
    const playbook = load(exampleFiles().find((f) => f.endsWith('basic-async-status.yml'))!);
    expect(playbook.plays).toHaveLength(1);
    const [launch, join] = playbook.plays[0].tasks;
    expect(launch.module).toBe('apt');
    expect(launch.keywords.async.value).toBe(3600);
    expect(launch.keywords.poll.value).toBe(0);
    expect(launch.keywords.register.value).toBe('update_job');
    expect(launch.args.upgrade.value).toBe('dist');
    expect(launch.args.update_cache.value).toBe(true);
    expect(playbook.plays[0].keywords.become.value).toBe(true);
    expect(join.module).toBe('async_status');
    expect(join.args.jid.value).toBe('{{ update_job.ansible_job_id }}');
    expect(join.args.jid.templated).toBe(true);
    expect(join.keywords.until.value).toBe('update_result.finished');
    expect(join.keywords.retries.value).toBe(120);
  });
});

describe('recorded Ansible cases', () => {
  for (const c of truthCases()) {
    const stderr = readFileSync(join(c.dir, 'stderr.txt'), 'utf8');
    const fatal = /^ERROR! (.*)$/m.exec(stderr);
    if (!fatal) {
      it(`${c.name}: no errors, like ansible-playbook`, () => {
        const playbook = load(c.playbook);
        expect(playbook.problems.filter((p) => p.severity === 'error')).toEqual([]);
        expect(playbook.plays.length).toBeGreaterThan(0);
      });
      continue;
    }
    it(`${c.name}: reports Ansible's parse error at its line and column`, () => {
      const playbook = load(c.playbook);
      const where = /line (\d+), column (\d+)/.exec(stderr)!;
      const errors = playbook.problems.filter((p) => p.severity === 'error');
      expect(errors.length).toBeGreaterThan(0);
      // Ansible stops at the first error; it names whichever invalid attribute it meets first
      const [, message] = fatal;
      const same = errors.filter((e) => e.message === message || sameAttributeError(e.message, message));
      expect(same.length).toBeGreaterThan(0);
      const located = errors.some((e) => {
        const pos = e.file.position(e.span.start);
        return pos.line + 1 === Number(where[1]) && pos.character + 1 === Number(where[2]);
      });
      // attribute errors point at the attribute; Ansible points at the task: either is within the task
      const withinTask = same.every((e) => {
        const taskLine = Number(where[1]) - 1;
        return e.file.position(e.span.start).line >= taskLine;
      });
      expect(located || withinTask).toBe(true);
    });
  }

  it('case 37: the misspelled keyword is kept as an unknown key, the module stays the command', () => {
    const c = truthCases().find((x) => x.name.startsWith('37-'))!;
    const playbook = load(c.playbook);
    const task = playbook.plays[0].tasks[1];
    expect(task.module).toBe('command');
    expect(task.action).toBe('ansible.builtin.command');
    expect(task.unknownKeys.map((k) => k.key)).toEqual(['retry']);
    expect(playbook.problems[0].message).toBe('conflicting action statements: ansible.builtin.command, retry');
  });

  it('case 14: async on import_tasks is no error and the imported file is followed', () => {
    const c = truthCases().find((x) => x.name.startsWith('14-'))!;
    const playbook = load(c.playbook);
    const importTask = playbook.plays[0].tasks[1];
    expect(importTask.kind).toBe('import_tasks');
    expect(importTask.target?.value).toBe('inc.yml');
    expect(importTask.resolvedPath).toBe(join(c.dir, 'inc.yml'));
    expect(importTask.imported?.length).toBeGreaterThan(0);
    expect(importTask.imported![0].parents).toContain(importTask);
    expect(playbook.problems).toEqual([]);
  });

  it('all cases together hold hundreds of tasks, each with an action', () => {
    let count = 0;
    for (const c of truthCases()) {
      const playbook = load(c.playbook);
      for (const play of walkPlays(playbook)) {
        for (const task of walkPlay(play)) {
          count++;
          if (task.kind === 'task' || task.kind === 'handler') expect(task.module, `${c.name}: ${task.name}`).toBeTruthy();
        }
      }
    }
    expect(count).toBeGreaterThan(250);
  });
});

function sameAttributeError(ours: string, theirs: string): boolean {
  const pattern = /^'(\w+)' is not a valid attribute for a (\w+)$/;
  const a = pattern.exec(ours);
  const b = pattern.exec(theirs);
  return !!a && !!b && a[2] === b[2];
}
