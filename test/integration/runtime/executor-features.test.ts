import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recapLines, remoteScratch, resultOf, runPlaybook } from './helpers';

describe('executor: blocks, handlers, loops, tags', () => {
  it('block/rescue/always: rescue sees ansible_failed_task/result, always runs, recap counts rescued', async () => {
    const outcome = await runPlaybook({
      hosts: 2,
      playbook: `
- hosts: all
  gather_facts: false
  tasks:
    - name: guarded
      block:
        - name: fails on h1
          command: /bin/false
          when: inventory_hostname == 'h1'
        - name: still in block
          debug: { msg: in block }
      rescue:
        - name: rescue it
          debug:
            msg: "rescued {{ ansible_failed_task.name }} rc={{ ansible_failed_result.rc }}"
      always:
        - name: always
          debug: { msg: always }
    - name: after
      debug: { msg: after }
`,
    });
    expect(outcome.rc, outcome.out).toBe(0);
    expect(resultOf(outcome, 'rescue it', 'h1').result.msg).toBe('rescued fails on h1 rc=1');
    expect(outcome.results.some((e) => e.task === 'rescue it' && e.host === 'h2')).toBe(false);
    expect(outcome.results.some((e) => e.task === 'still in block' && e.host === 'h1')).toBe(false);
    expect(resultOf(outcome, 'always', 'h1').event).toBe('runner_on_ok');
    expect(resultOf(outcome, 'after', 'h1').event).toBe('runner_on_ok');
    expect(recapLines(outcome.out)).toEqual([
      'h1                         : ok=3    changed=0    unreachable=0    failed=0    skipped=0    rescued=1    ignored=0',
      'h2                         : ok=3    changed=0    unreachable=0    failed=0    skipped=1    rescued=0    ignored=0',
    ]);
  });

  it('handlers run once at the end for notified hosts, in definition order, via name or listen', async () => {
    const outcome = await runPlaybook({
      hosts: 2,
      playbook: `
- hosts: all
  gather_facts: false
  tasks:
    - name: change on h1
      command: "true"
      changed_when: inventory_hostname == 'h1'
      notify: [second, topic]
    - name: change again on h1
      command: "true"
      changed_when: inventory_hostname == 'h1'
      notify: second
  handlers:
    - name: first
      listen: topic
      debug: { msg: first }
    - name: second
      debug: { msg: second }
`,
    });
    expect(outcome.rc).toBe(0);
    const handlerRuns = outcome.results.filter((e) => e.event === 'runner_on_ok' && (e.task === 'first' || e.task === 'second'));
    expect(handlerRuns.map((e) => `${e.task}@${e.host}`)).toEqual(['first@h1', 'second@h1']);
    expect(outcome.out).toContain('RUNNING HANDLER [first]');
  });

  it('meta: flush_handlers runs notified handlers at that point', async () => {
    const outcome = await runPlaybook({
      playbook: `
- hosts: all
  gather_facts: false
  tasks:
    - command: "true"
      notify: h
    - meta: flush_handlers
    - name: after flush
      debug: { msg: x }
  handlers:
    - name: h
      debug: { msg: handler }
`,
    });
    const order = outcome.events.filter((e) => e.event === 'playbook_on_task_start' || e.event === 'playbook_on_handler_task_start').map((e) => ('task' in e ? e.task : ''));
    expect(order).toEqual(['command', 'h', 'after flush']);
  });

  it('loops: item results, loop_control label/index_var, aggregated register and when per item', async () => {
    const outcome = await runPlaybook({
      playbook: `
- hosts: all
  gather_facts: false
  tasks:
    - name: loop
      command: echo {{ item.name }}-{{ idx }}
      loop: [{ name: a }, { name: b }, { name: c }]
      loop_control: { label: "{{ item.name }}", index_var: idx }
      when: item.name != 'b'
      register: r
    - name: dict
      debug: { msg: "{{ item.key }}={{ item.value }}" }
      with_dict: { x: 1 }
    - name: check
      assert:
        that:
          - r.results | length == 3
          - r.results[0].stdout == 'a-0'
          - r.results[1].skipped
          - r.results[2].stdout == 'c-2'
          - r.msg == 'All items completed'
          - r.changed
`,
    });
    expect(outcome.rc, outcome.out).toBe(0);
    expect(outcome.out).toContain('changed: [h1] => (item=a)');
    expect(outcome.out).toContain('skipping: [h1] => (item=b) ');
    expect(outcome.out).toContain('ok: [h1] => (item={\'key\': \'x\', \'value\': 1}) => {');
    expect(resultOf(outcome, 'check').event).toBe('runner_on_ok');
  });

  it('until/retries/delay: exact attempts and the RETRYING line', async () => {
    const dir = remoteScratch('until');
    const outcome = await runPlaybook({
      playbook: `
- hosts: all
  gather_facts: false
  tasks:
    - name: count
      shell: mkdir -p ${dir}; echo x >> ${dir}/c; wc -l < ${dir}/c
      register: r
      until: r.stdout | int >= 3
      retries: 5
      delay: 0
    - name: never
      command: "true"
      register: n
      until: false
      retries: 2
      delay: 0
      ignore_errors: true
`,
    });
    expect(resultOf(outcome, 'count').result).toMatchObject({ attempts: 3, stdout: '3' });
    expect(outcome.out).toContain('FAILED - RETRYING: [h1]: count (5 retries left).');
    expect(outcome.out).toContain('FAILED - RETRYING: [h1]: count (4 retries left).');
    expect(outcome.events.filter((e) => e.event === 'runner_retry' && e.task === 'never')).toHaveLength(2);
    expect(resultOf(outcome, 'never').result).toMatchObject({ attempts: 2, failed: true });
    expect(readFileSync(join(dir, 'c'), 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('tags and skip-tags select tasks; always runs unless skipped; never only on request', async () => {
    const playbook = `
- hosts: all
  gather_facts: false
  tasks:
    - { name: a, debug: { msg: a }, tags: [one] }
    - { name: b, debug: { msg: b }, tags: [two] }
    - { name: c, debug: { msg: c }, tags: [always] }
    - { name: d, debug: { msg: d }, tags: [never, debug] }
    - name: blk
      tags: [two]
      block:
        - { name: e, debug: { msg: e } }
`;
    const names = (o: Awaited<ReturnType<typeof runPlaybook>>) => o.results.map((e) => e.task);
    expect(names(await runPlaybook({ playbook, options: { tags: ['two'] } }))).toEqual(['b', 'c', 'e']);
    expect(names(await runPlaybook({ playbook, options: { skipTags: ['two', 'always'] } }))).toEqual(['a']);
    expect(names(await runPlaybook({ playbook, options: { tags: ['debug'] } }))).toEqual(['c', 'd']);
  });

  it('no_log censors results in events and output but keeps the registered value', async () => {
    const outcome = await runPlaybook({
      playbook: `
- hosts: all
  gather_facts: false
  tasks:
    - name: secret
      command: echo s3cr3t-value
      register: s
      no_log: true
    - name: use it
      assert: { that: "s.stdout == 's3cr3t-value'" }
`,
    });
    expect(outcome.rc).toBe(0);
    const secret = resultOf(outcome, 'secret');
    expect(secret.result.censored).toBe("the output has been hidden due to the fact that 'no_log: true' was specified for this result");
    expect(JSON.stringify(outcome.events)).not.toContain('s3cr3t-value');
    expect(outcome.out).not.toContain('s3cr3t-value');
  });
});

describe('executor: hosts and connections', () => {
  it('delegate_to localhost runs on the controller and shows [h1 -> localhost]', async () => {
    const outcome = await runPlaybook({
      playbook: `
- hosts: all
  gather_facts: false
  tasks:
    - name: on controller
      command: echo {{ inventory_hostname }} $PPID
      delegate_to: localhost
      register: r
`,
    });
    expect(outcome.rc).toBe(0);
    expect(outcome.out).toContain('changed: [h1 -> localhost]');
    expect(resultOf(outcome, 'on controller').delegatedTo).toBe('localhost');
  });

  it('serial batches run the whole play per batch; run_once registers for every host', async () => {
    const outcome = await runPlaybook({
      hosts: 3,
      playbook: `
- name: batched
  hosts: all
  serial: 2
  gather_facts: false
  tasks:
    - name: once
      command: echo once
      run_once: true
      register: o
    - name: use
      debug: { msg: "{{ o.stdout }}" }
`,
    });
    expect(outcome.rc).toBe(0);
    const plays = outcome.events.filter((e) => e.event === 'playbook_on_play_start');
    expect(plays.map((p) => (p.event === 'playbook_on_play_start' ? p.hosts : []))).toEqual([['h1', 'h2'], ['h3']]);
    expect(outcome.results.filter((e) => e.task === 'once').map((e) => e.host)).toEqual(['h1', 'h3']);
    expect(outcome.results.filter((e) => e.task === 'use').map((e) => e.result.msg)).toEqual(['once', 'once', 'once']);
  });

  it('any_errors_fatal stops every host after one fails', async () => {
    const outcome = await runPlaybook({
      hosts: 2,
      playbook: `
- hosts: all
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - name: fail h1
      command: /bin/false
      when: inventory_hostname == 'h1'
    - name: not reached
      debug: { msg: x }
`,
    });
    expect(outcome.rc).toBe(2);
    expect(outcome.results.some((e) => e.task === 'not reached')).toBe(false);
  });

  it('variable precedence: extra vars > set_fact > task vars > play vars > inventory; environment reaches the command', async () => {
    const outcome = await runPlaybook({
      inventoryExtra: '\n[test:vars]\nlevel=inventory\ninv_only=yes\n',
      options: { extraVars: ['top=extra'] },
      playbook: `
- hosts: all
  gather_facts: false
  vars: { level: play, top: play, derived: "{{ level }}-derived" }
  tasks:
    - name: task vars win over play vars
      debug: { msg: "{{ level }} {{ inv_only }} {{ top }} {{ derived }}" }
      vars: { level: task }
    - set_fact: { level: fact }
    - name: set_fact wins over task vars
      debug: { msg: "{{ level }}" }
      vars: { level: task }
    - name: env
      command: printenv GREETING
      environment: { GREETING: "hi {{ inventory_hostname }}" }
`,
    });
    expect(outcome.rc, outcome.out).toBe(0);
    expect(resultOf(outcome, 'task vars win over play vars').result.msg).toBe('task yes extra task-derived');
    expect(resultOf(outcome, 'set_fact wins over task vars').result.msg).toBe('fact');
    expect(resultOf(outcome, 'env').result.stdout).toBe('hi h1');
  });

  it('gathers facts with the shell probe', async () => {
    const outcome = await runPlaybook({
      playbook: `
- hosts: all
  tasks:
    - name: facts
      debug:
        msg: "{{ ansible_facts.hostname }}|{{ ansible_os_family }}|{{ ansible_facts.date_time.year }}|{{ ansible_user_id }}|{{ ansible_processor_vcpus > 0 }}"
`,
    });
    expect(outcome.rc, outcome.out).toBe(0);
    expect(outcome.out).toContain('TASK [Gathering Facts]');
    const parts = String(resultOf(outcome, 'facts').result.msg).split('|');
    expect(parts[1]).toBe('Debian');
    expect(parts[2]).toBe(String(new Date().getFullYear()));
    expect(parts[4]).toBe('True');
  });

  it('an unknown module fails naming it and pointing to --engine ansible', async () => {
    const outcome = await runPlaybook({
      playbook: `
- hosts: all
  gather_facts: false
  tasks:
    - name: exotic
      community.general.nosuchthing: { a: 1 }
`,
    });
    expect(outcome.rc).toBe(2);
    expect(String(resultOf(outcome, 'exotic').result.msg)).toMatch(/community\.general\.nosuchthing.*--engine ansible/);
  });
});
