/** The ways Ansible lets a task name its action and arguments all end up in the same model. */
import { describe, expect, it } from 'vitest';
import { parsePlaybook, parseTaskFile, type Task } from '../../../runtime/playbook';

function tasksOf(yaml: string): Task[] {
  const playbook = parsePlaybook('/tmp/p.yml', `- hosts: all\n  tasks:\n${yaml.replace(/^/gm, '    ')}\n`);
  expect(playbook.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return playbook.plays[0].tasks;
}

function argValues(task: Task): Record<string, unknown> {
  return Object.fromEntries(Object.entries(task.args).map(([k, e]) => [k, e.value]));
}

describe('task normalisation', () => {
  it('module key with a mapping of arguments', () => {
    const [t] = tasksOf('- copy:\n    src: a\n    dest: /b\n    mode: 0644');
    expect(t.module).toBe('copy');
    // YAML 1.1 like PyYAML: 0644 is octal
    expect(argValues(t)).toEqual({ src: 'a', dest: '/b', mode: 420 });
    expect(t.freeForm).toBeUndefined();
  });

  it('free-form command keeps the whole command line, k=v for its few options', () => {
    const [a, b] = tasksOf('- command: echo a=b chdir=/tmp "x y"\n- shell: cat f | grep x > out');
    expect(a.module).toBe('command');
    expect(a.freeForm?.value).toBe('echo a=b "x y"');
    expect(argValues(a)).toEqual({ chdir: '/tmp' });
    expect(b.freeForm?.value).toBe('cat f | grep x > out');
    expect(b.args).toEqual({});
  });

  it('k=v strings become arguments for other modules', () => {
    const [t] = tasksOf('- file: path=/x state=touch mode="0600"');
    expect(argValues(t)).toEqual({ path: '/x', state: 'touch', mode: '0600' });
    expect(t.freeForm).toBeUndefined();
  });

  it('args: merges under the module arguments (the module wins)', () => {
    const [t] = tasksOf('- command: make\n  args:\n    chdir: /src\n    creates: /x\n- command:\n    cmd: ls\n    chdir: /a\n  args:\n    chdir: /b');
    expect(t.freeForm?.value).toBe('make');
    expect(argValues(t)).toEqual({ chdir: '/src', creates: '/x' });
    const second = tasksOf('- command:\n    cmd: ls\n    chdir: /a\n  args:\n    chdir: /b')[0];
    expect(argValues(second)).toEqual({ cmd: 'ls', chdir: '/a' });
  });

  it('action: with a string and with a mapping', () => {
    const [a, b] = tasksOf('- action: command echo hi\n- action:\n    module: ansible.builtin.file\n    path: /x\n    state: absent');
    expect(a.action).toBe('command');
    expect(a.module).toBe('command');
    expect(a.freeForm?.value).toBe('echo hi');
    expect(b.action).toBe('ansible.builtin.file');
    expect(b.module).toBe('file');
    expect(argValues(b)).toEqual({ path: '/x', state: 'absent' });
  });

  it('local_action: delegates to localhost', () => {
    const [a, b, c] = tasksOf('- local_action: command hostname\n- command: x\n  delegate_to: localhost\n- command: x\n  delegate_to: h2');
    expect(a.module).toBe('command');
    expect(a.freeForm?.value).toBe('hostname');
    expect(a.delegatedToLocalhost).toBe(true);
    expect(b.delegatedToLocalhost).toBe(true);
    expect(c.delegatedToLocalhost).toBeUndefined();
  });

  it('FQCN and ansible.legacy names map to the short module name', () => {
    const ts = tasksOf('- ansible.builtin.command: a\n- ansible.legacy.shell: b\n- community.general.archive:\n    path: /x\n- my.collection.thing: {}');
    expect(ts.map((t) => [t.action, t.module])).toEqual([
      ['ansible.builtin.command', 'command'],
      ['ansible.legacy.shell', 'shell'],
      ['community.general.archive', 'archive'],
      ['my.collection.thing', 'my.collection.thing'],
    ]);
  });

  it('a module without arguments, with null, and with a scalar', () => {
    const ts = tasksOf('- ping:\n- meta: flush_handlers\n- setup: {}');
    expect(ts.map((t) => t.module)).toEqual(['ping', 'meta', 'setup']);
    expect(ts[1].kind).toBe('meta');
    expect(ts[1].freeForm?.value).toBe('flush_handlers');
  });

  it('templated values are marked', () => {
    const [t] = tasksOf('- command: "echo {{ x }}"\n  async: "{{ n }}"\n  poll: 5\n  when: "{% if a %}true{% endif %}"');
    expect(t.freeForm?.templated).toBe(true);
    expect(t.keywords.async.templated).toBe(true);
    expect(t.keywords.poll.templated).toBe(false);
    expect(t.keywords.when.templated).toBe(true);
  });

  it('with_* loops are keywords, not actions', () => {
    const [t] = tasksOf('- debug: var=item\n  with_items: [1, 2]');
    expect(t.module).toBe('debug');
    expect(t.keywords.with_items.value).toEqual([1, 2]);
    expect(t.unknownKeys).toEqual([]);
  });

  it('block/rescue/always: children know their parents and section', () => {
    const [block] = tasksOf(
      '- name: outer\n  when: x\n  block:\n    - debug: msg=a\n    - block:\n        - command: b\n  rescue:\n    - debug: msg=r\n  always:\n    - debug: msg=z',
    );
    expect(block.kind).toBe('block');
    expect(block.keywords.when.value).toBe('x');
    expect(block.block).toHaveLength(2);
    expect(block.block![0].parents).toEqual([block]);
    expect(block.block![0].section).toBe('block');
    const inner = block.block![1];
    expect(inner.kind).toBe('block');
    expect(inner.block![0].parents).toEqual([block, inner]);
    expect(block.rescue![0].section).toBe('rescue');
    expect(block.always![0].section).toBe('always');
  });

  it('handlers, pre_tasks, post_tasks and listen', () => {
    const playbook = parsePlaybook(
      '/tmp/p.yml',
      '- hosts: all\n  pre_tasks:\n    - ping:\n  post_tasks:\n    - ping:\n  handlers:\n    - name: restart\n      service: name=x state=restarted\n      listen: web\n',
    );
    expect(playbook.problems).toEqual([]);
    const play = playbook.plays[0];
    expect(play.preTasks).toHaveLength(1);
    expect(play.postTasks).toHaveLength(1);
    expect(play.handlers[0].kind).toBe('handler');
    expect(play.handlers[0].isHandler).toBe(true);
    expect(play.handlers[0].keywords.listen.value).toBe('web');
    expect(play.handlers[0].unknownKeys).toEqual([]);
  });

  it('roles as strings and mappings with parameters', () => {
    const playbook = parsePlaybook('/tmp/p.yml', '- hosts: all\n  roles:\n    - common\n    - role: web\n      vars: {port: 80}\n      when: x\n      http_port: 8080\n');
    expect(playbook.problems).toEqual([]);
    const [a, b] = playbook.plays[0].roles;
    expect(a.kind).toBe('role');
    expect(a.role).toBe('common');
    expect(b.role).toBe('web');
    expect(b.keywords.when.value).toBe('x');
    expect(b.keywords.vars.value).toEqual({ port: 80 });
    expect(b.args.http_port.value).toBe(8080);
  });

  it('play vars (mapping or list of mappings) and unknown play keys', () => {
    const playbook = parsePlaybook('/tmp/p.yml', '- hosts: all\n  vars:\n    - a: 1\n    - b: 2\n  hots: x\n  tasks: []\n');
    const play = playbook.plays[0];
    expect(Object.keys(play.vars)).toEqual(['a', 'b']);
    expect(play.unknownKeys.map((k) => k.key)).toEqual(['hots']);
  });

  it('parseTaskFile reads a task list', () => {
    const file = parseTaskFile('/r/tasks/main.yml', '- name: one\n  command: a\n- import_tasks: more.yml\n', { role: 'r' });
    expect(file.problems).toEqual([]);
    expect(file.tasks.map((t) => t.kind)).toEqual(['task', 'import_tasks']);
    expect(file.tasks[0].role).toBe('r');
    expect(file.tasks[1].target?.value).toBe('more.yml');
  });

  it('parseTaskFile of handlers marks them', () => {
    const file = parseTaskFile('/r/handlers/main.yml', '- name: h\n  debug: msg=x\n', { handlers: true });
    expect(file.tasks[0].kind).toBe('handler');
  });
});

describe('structural problems', () => {
  function problemsOf(text: string) {
    return parsePlaybook('/tmp/p.yml', text).problems.map((p) => ({ code: p.code, message: p.message, severity: p.severity }));
  }

  it('two actions: conflicting action statements in source order', () => {
    const ps = problemsOf('- hosts: all\n  tasks:\n    - retry: 3\n      command: echo\n');
    expect(ps).toEqual([{ code: 'conflicting-action', message: 'conflicting action statements: retry, command', severity: 'error' }]);
    const task = parsePlaybook('/tmp/p.yml', '- hosts: all\n  tasks:\n    - retry: 3\n      command: echo\n').plays[0].tasks[0];
    // the known module is taken as the action so analysis continues
    expect(task.module).toBe('command');
    expect(task.unknownKeys.map((k) => k.key)).toEqual(['retry']);
  });

  it('action: plus a module key conflicts', () => {
    const ps = problemsOf('- hosts: all\n  tasks:\n    - action: ping\n      debug: msg=x\n');
    expect(ps[0].message).toBe('conflicting action statements: ping, debug');
  });

  it('action and local_action together', () => {
    const ps = problemsOf('- hosts: all\n  tasks:\n    - action: ping\n      local_action: ping\n');
    expect(ps[0].message).toBe('action and local_action are mutually exclusive');
  });

  it('a task without an action', () => {
    const ps = problemsOf('- hosts: all\n  tasks:\n    - name: nothing\n      when: x\n');
    expect(ps).toEqual([{ code: 'no-action', message: 'no module/action detected in task.', severity: 'error' }]);
  });

  it('a playbook that is not a list, a play that is not a mapping, tasks that are not a list', () => {
    expect(problemsOf('hosts: all\n')[0].code).toBe('playbook-not-list');
    expect(problemsOf('- just a string\n')[0].code).toBe('play-not-mapping');
    expect(problemsOf('- hosts: all\n  tasks: {a: 1}\n')[0]).toEqual({
      code: 'tasks-not-list', message: "'tasks' must be a list of tasks, but is a mapping", severity: 'error',
    });
    expect(problemsOf('- hosts: all\n  tasks:\n    - "a string"\n')[0].code).toBe('task-not-mapping');
  });

  it('a play without hosts', () => {
    expect(problemsOf('- name: x\n  tasks: []\n')).toEqual([
      { code: 'play-no-hosts', message: "the field 'hosts' is required but was not set", severity: 'error' },
    ]);
  });

  it('duplicate keys are a warning and the last one wins', () => {
    const playbook = parsePlaybook('/tmp/p.yml', '- hosts: all\n  tasks:\n    - command: a\n      retries: 1\n      retries: 2\n');
    expect(playbook.problems.map((p) => [p.code, p.severity])).toEqual([['duplicate-key', 'warning']]);
    expect(playbook.plays[0].tasks[0].keywords.retries.value).toBe(2);
  });

  it('include_tasks accepts only its keywords; import_tasks ignores the rest', () => {
    const ps = problemsOf('- hosts: all\n  tasks:\n    - include_tasks: x.yml\n      async: 10\n      loop: [1]\n    - import_tasks: y.yml\n      async: 10\n');
    expect(ps).toEqual([{ code: 'include-invalid-attribute', message: "'async' is not a valid attribute for a TaskInclude", severity: 'error' }]);
  });

  it('empty files and empty lists are fine', () => {
    expect(problemsOf('')).toEqual([]);
    expect(problemsOf('# only a comment\n')).toEqual([]);
    expect(problemsOf('- hosts: all\n  tasks:\n')).toEqual([]);
  });

  it('scalars are typed like PyYAML (YAML 1.1 as Ansible reads it)', () => {
    const playbook = parsePlaybook('/tmp/p.yml', '- hosts: all\n  vars: {a: y, b: n, c: yes, d: off, e: 1e3, f: 1.0e+3, g: 0644, h: 1:30, i: .5, j: No}\n');
    const values = Object.fromEntries(Object.entries(playbook.plays[0].vars).map(([k, v]) => [k, v.value]));
    expect(values).toEqual({ a: 'y', b: 'n', c: true, d: false, e: '1e3', f: 1000, g: 420, h: 90, i: 0.5, j: false });
  });

  it('Ansible tags do not produce warnings', () => {
    const playbook = parsePlaybook('/tmp/p.yml', '- hosts: all\n  vars:\n    a: !unsafe "{{ x }}"\n  tasks: []\n');
    expect(playbook.problems).toEqual([]);
    expect(playbook.plays[0].vars.a.value).toBe('{{ x }}');
  });
});
