import { describe, expect, it } from 'vitest';
import { ofType, runAnsible } from './harness';

/** ansible-playbook needs seconds of CPU per run; on a loaded 2-core machine that becomes tens of seconds. */
const SLOW_MACHINE_MS = 240_000;

describe('ansible engine: parse errors, no_log, cancel', () => {
  it('turns an ERROR! parse failure into an error event with file:line:col and exit code 4', async () => {
    const run = await runAnsible(`- name: typo
  hosts: h1
  gather_facts: false
  tasks:
    - name: misspelled retries
      ansible.builtin.command: "true"
      retry: 3
`);
    expect(run.rc).toBe(4);
    const errors = ofType(run.events, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe('conflicting action statements: ansible.builtin.command, retry');
    expect(errors[0]!.position).toEqual({ file: `${run.dir}/playbook.yml`, line: 5, column: 7 });
    expect(ofType(run.events, 'playbook_on_task_start')).toHaveLength(0);
    expect(run.events[0]!.event).toBe('playbook_on_start');
  }, SLOW_MACHINE_MS);

  it('never lets no_log output into the events, for ok, failed and retried results', async () => {
    const secret = `s3cr3t-${process.pid}-${Date.now()}`;
    const run = await runAnsible(`
- name: no_log
  hosts: h1
  gather_facts: false
  tasks:
    - name: secret ok
      ansible.builtin.command: echo ${secret}
      no_log: true
    - name: secret retried
      ansible.builtin.shell: echo ${secret}
      register: r
      until: r.stdout == 'never'
      retries: 1
      delay: 0
      no_log: true
      ignore_errors: true
    - name: secret failed
      ansible.builtin.shell: echo ${secret}; exit 3
      no_log: true
`);
    expect(run.rc).toBe(2);
    expect(JSON.stringify(run.events)).not.toContain(secret);
    const ok = ofType(run.events, 'runner_on_ok')[0]!;
    expect(ok.result).toEqual({ censored: expect.stringContaining("'no_log: true' was specified"), changed: true });
    const retry = ofType(run.events, 'runner_retry')[0]!;
    expect(retry).toMatchObject({ attempts: 1, retries: 2 });
    expect(retry.result.censored).toBeDefined();
    const failed = ofType(run.events, 'runner_on_failed');
    expect(failed.map((e) => [e.task, e.ignoreErrors ?? false])).toEqual([
      ['secret retried', true],
      ['secret failed', false],
    ]);
    for (const event of failed) expect(event.result.censored).toBeDefined();
    expect(ofType(run.events, 'playbook_on_stats')[0]).toMatchObject({ rc: 2, stats: { h1: { ok: 2, failed: 1, ignored: 1 } } });
  }, SLOW_MACHINE_MS);

  it('cancels a running playbook: SIGINT reaches ansible-playbook and the run ends quickly with its exit code', async () => {
    const controller = new AbortController();
    const run = await runAnsible(
      `
- name: long
  hosts: h1
  gather_facts: false
  tasks:
    - name: sleeps far longer than the test
      ansible.builtin.command: sleep 120
`,
      {
        signal: controller.signal,
        onEvent: (event) => {
          if (event.event === 'runner_on_start') setTimeout(() => controller.abort(), 300);
        },
      },
    );
    expect(run.rc).toBe(99);
    // sleep 120 must not be waited out: the cancel stops the run long before the task could end
    expect(run.ms).toBeLessThan(90_000);
    expect(ofType(run.events, 'runner_on_start')).toHaveLength(1);
    expect(ofType(run.events, 'runner_on_ok')).toHaveLength(0);
    expect(ofType(run.events, 'playbook_on_stats')).toHaveLength(0);
  }, SLOW_MACHINE_MS);
});
