/** Static imports are followed through real files: task files, roles, import_playbook; cycles stop. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlaybook, walkPlay, walkPlays, type Playbook } from '../../../runtime/playbook';
import { playBudget, taskBudget } from '../../../runtime/waits';

let root: string;

function write(rel: string, text: string): string {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

function load(rel: string): Playbook {
  const path = join(root, rel);
  return parsePlaybook(path, readFileSync(path, 'utf8'), { readFile: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined) });
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ps-imports-'));
  write('site.yml', [
    '- hosts: all',
    '  roles:',
    '    - web',
    '    - role: missing_role',
    '  tasks:',
    '    - import_tasks: tasks/setup.yml',
    '    - include_tasks: "{{ dyn }}.yml"',
    '    - include_tasks:',
    '        file: tasks/loop.yml',
    '    - import_role:',
    '        name: web',
    '        tasks_from: extra',
    '- import_playbook: other.yml',
    '',
  ].join('\n'));
  write('tasks/setup.yml', '- name: setup one\n  command: a\n- import_tasks: nested.yml\n');
  write('tasks/nested.yml', '- name: nested\n  ping:\n');
  write('tasks/loop.yml', '- name: loops back\n  include_tasks: loop.yml\n');
  write('roles/web/tasks/main.yml', '- name: web main\n  service: name=nginx state=started\n');
  write('roles/web/tasks/extra.yaml', '- name: web extra\n  debug: msg=x\n');
  write('roles/db/tasks/main.yml', '- name: wait for db\n  wait_for:\n    port: 5432\n    timeout: "{{ db_timeout }}"\n  register: w\n  until: w is succeeded\n  retries: "{{ db_retries }}"\n  delay: "{{ db_delay }}"\n');
  write('roles/db/defaults/main.yml', 'db_retries: 2\ndb_delay: 50\ndb_timeout: 10\n');
  write('roles/db/vars/main.yml', 'db_delay: 7\n');
  write('roles.yml', '- hosts: all\n  vars:\n    db_delay: 99\n    db_timeout: 20\n  roles:\n    - role: db\n      db_retries: 3\n');
  write('tasks/probe.yml', '- name: probe\n  wait_for:\n    port: 80\n    timeout: 10\n');
  write('looped.yml', '- hosts: all\n  tasks:\n    - include_tasks: tasks/probe.yml\n      loop: [a, b, c]\n    - include_tasks: tasks/probe.yml\n      loop: "{{ targets }}"\n');
  write('vars/limits.yml', 'job_limit: 120\n');
  write('varsfiles.yml', '- hosts: all\n  vars:\n    job_limit: 5\n  vars_files:\n    - vars/limits.yml\n    - "vars/{{ env }}.yml"\n    - vars/none.yml\n  tasks:\n    - name: limited\n      command: x\n      async: "{{ job_limit }}"\n      poll: 10\n');
  write('roles/web/handlers/main.yml', '- name: restart web\n  service: name=nginx state=restarted\n');
  write('other.yml', '- hosts: db\n  tasks:\n    - name: in other\n      command: x\n- import_playbook: site.yml\n');
  write('broken.yml', '- hosts: all\n  tasks:\n    - import_tasks: tasks/bad.yml\n    - import_tasks: tasks/absent.yml\n');
  write('tasks/bad.yml', '- name: x\n  command: "open\n');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('imports and roles', () => {
  it('follows import_tasks relative to the including file, recursively', () => {
    const playbook = load('site.yml');
    const importTask = playbook.plays[0].tasks[0];
    expect(importTask.kind).toBe('import_tasks');
    expect(importTask.resolvedPath).toBe(join(root, 'tasks/setup.yml'));
    expect(importTask.imported!.map((t) => t.name ?? t.kind)).toEqual(['setup one', 'import_tasks']);
    const nested = importTask.imported![1];
    expect(nested.resolvedPath).toBe(join(root, 'tasks/nested.yml'));
    expect(nested.imported![0].name).toBe('nested');
    expect(nested.imported![0].file.path).toBe(join(root, 'tasks/nested.yml'));
    expect(nested.imported![0].parents).toEqual([importTask, nested]);
  });

  it('does not follow templated paths', () => {
    const include = load('site.yml').plays[0].tasks[1];
    expect(include.kind).toBe('include_tasks');
    expect(include.target?.templated).toBe(true);
    expect(include.imported).toBeUndefined();
  });

  it('stops at a file that includes itself and says so', () => {
    const playbook = load('site.yml');
    const include = playbook.plays[0].tasks[2];
    expect(include.imported![0].name).toBe('loops back');
    expect(include.imported![0].imported).toBeUndefined();
    expect(playbook.problems.filter((p) => p.code === 'import-cycle')).toHaveLength(2); // loop.yml, and other.yml → site.yml
  });

  it('loads roles beside the playbook, with tasks_from and handlers', () => {
    const playbook = load('site.yml');
    const [web, missing] = playbook.plays[0].roles;
    expect(web.imported!.map((t) => t.name)).toEqual(['web main']);
    expect(web.imported![0].role).toBe('web');
    expect(web.handlers!.map((t) => [t.name, t.kind])).toEqual([['restart web', 'handler']]);
    expect(missing.imported).toBeUndefined();
    const notFound = playbook.problems.find((p) => p.code === 'role-not-found')!;
    expect(notFound.message).toContain('missing_role');
    expect(notFound.file.path).toBe(join(root, 'site.yml'));
    const importRole = playbook.plays[0].tasks[3];
    expect(importRole.kind).toBe('import_role');
    expect(importRole.imported!.map((t) => t.name)).toEqual(['web extra']);
  });

  it('import_playbook brings in the other plays, and the cycle back stops', () => {
    const playbook = load('site.yml');
    const entry = playbook.plays[1];
    expect(entry.importPlaybook?.resolvedPath).toBe(join(root, 'other.yml'));
    expect(entry.importPlaybook!.plays[0].tasks[0].name).toBe('in other');
    const plays = [...walkPlays(playbook)];
    expect(plays.map((p) => p.hosts?.value)).toEqual(['all', 'db']);
  });

  it('walkPlay visits role tasks, imported tasks and handlers in order', () => {
    const names = [...walkPlay(load('site.yml').plays[0])].map((t) => `${t.kind}:${t.name ?? t.target?.value ?? ''}`);
    expect(names).toEqual([
      'role:web', 'task:web main', 'role:missing_role', 'import_tasks:tasks/setup.yml', 'task:setup one',
      'import_tasks:nested.yml', 'task:nested', 'include_tasks:{{ dyn }}.yml', 'include_tasks:tasks/loop.yml',
      'include_tasks:loops back', 'import_role:web', 'task:web extra', 'handler:restart web',
    ]);
  });

  it('problems in imported files carry that file, missing imports are errors', () => {
    const playbook = load('broken.yml');
    const yaml = playbook.problems.find((p) => p.code === 'yaml-syntax')!;
    expect(yaml.file.path).toBe(join(root, 'tasks/bad.yml'));
    const missing = playbook.problems.find((p) => p.code === 'import-not-found')!;
    expect(missing.severity).toBe('error');
    expect(missing.file.path).toBe(join(root, 'broken.yml'));
    expect(missing.file.position(missing.span.start).line).toBe(3);
  });

  it('role defaults, role vars and role params feed the budget with Ansible precedence', () => {
    const play = load('roles.yml').plays[0];
    const task = play.roles[0].imported![0];
    expect(play.roles[0].roleDefaults).toEqual({ db_retries: 2, db_delay: 50, db_timeout: 10 });
    const budget = taskBudget(task, { play });
    // retries 3 from the role params, delay 7 from roles/db/vars (above play vars), timeout 20 from play vars (above defaults)
    expect(budget.attempts).toBe(4);
    expect(budget.delay).toBe(7);
    expect(budget.perAttempt.seconds).toBe(20);
    expect(budget.seconds).toBe(4 * 20 + 3 * 7);
  });

  it('vars_files with static paths are read and win over play vars', () => {
    const playbook = load('varsfiles.yml');
    const play = playbook.plays[0];
    expect(play.varsFiles).toEqual({ job_limit: 120 });
    expect(playbook.problems.map((p) => [p.code, p.severity, p.message])).toEqual([['import-not-found', 'warning', 'vars file vars/none.yml was not found']]);
    const budget = taskBudget(play.tasks[0], { play });
    expect(budget.async).toMatchObject({ limit: 120, checks: 12, waitSeconds: 120 });
    expect(budget.uses).toEqual([{ name: 'job_limit', value: 120, source: 'vars_files' }]);
  });

  it('a looping include_tasks multiplies the play budget of the included tasks', () => {
    const play = load('looped.yml').plays[0];
    const budget = playBudget(play);
    expect(budget.parts.map((p) => p.times)).toEqual([3, null]);
    expect(budget.knownSeconds).toBe(30);
    expect(budget.seconds).toBeNull();
    expect(budget.dependsOn).toEqual(['targets']);
  });

  it('without readFile nothing is followed and nothing is reported', () => {
    const path = join(root, 'site.yml');
    const playbook = parsePlaybook(path, readFileSync(path, 'utf8'));
    expect(playbook.problems).toEqual([]);
    expect(playbook.plays[0].tasks[0].imported).toBeUndefined();
  });
});
