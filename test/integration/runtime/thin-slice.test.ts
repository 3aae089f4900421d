import { describe, expect, it } from 'vitest';
import { recapLines, resultOf, runPlaybook } from './helpers';

describe('bundled engine: command over SSH', () => {
  it('runs a command on several hosts and counts the recap like Ansible', async () => {
    const outcome = await runPlaybook({
      hosts: 3,
      playbook: `
- name: slice
  hosts: all
  gather_facts: false
  tasks:
    - name: hello
      command: echo hello
    - name: ignored failure
      command: /bin/false
      ignore_errors: true
`,
    });
    expect(outcome.rc).toBe(0);
    for (const host of ['h1', 'h2', 'h3']) {
      const hello = resultOf(outcome, 'hello', host);
      expect(hello.event).toBe('runner_on_ok');
      expect(hello.result).toMatchObject({ changed: true, cmd: ['echo', 'hello'], rc: 0, stdout: 'hello', stdout_lines: ['hello'], stderr: '', msg: '' });
      expect(resultOf(outcome, 'ignored failure', host)).toMatchObject({ event: 'runner_on_failed', ignoreErrors: true, result: { rc: 1, msg: 'non-zero return code' } });
    }
    expect(recapLines(outcome.out)).toEqual([
      'h1                         : ok=2    changed=2    unreachable=0    failed=0    skipped=0    rescued=0    ignored=1',
      'h2                         : ok=2    changed=2    unreachable=0    failed=0    skipped=0    rescued=0    ignored=1',
      'h3                         : ok=2    changed=2    unreachable=0    failed=0    skipped=0    rescued=0    ignored=1',
    ]);
    expect(outcome.out).toContain('TASK [hello] ******');
    expect(outcome.out).toContain('...ignoring');
  });

  it('exits 2 when a host fails and stops running tasks on it', async () => {
    const outcome = await runPlaybook({
      hosts: 2,
      playbook: `
- hosts: all
  gather_facts: false
  tasks:
    - name: fails on h1 only
      shell: 'case "$SSH_CONNECTION" in *" 127.0.0.1 "*) exit 3;; esac'
    - name: after
      command: "true"
`,
    });
    expect(outcome.rc).toBe(2);
    expect(resultOf(outcome, 'fails on h1 only', 'h1').event).toBe('runner_on_failed');
    expect(resultOf(outcome, 'fails on h1 only', 'h2').event).toBe('runner_on_ok');
    expect(outcome.results.some((e) => e.task === 'after' && e.host === 'h1')).toBe(false);
    expect(resultOf(outcome, 'after', 'h2').event).toBe('runner_on_ok');
  });

  it('reports an unreachable host with exit code 4', async () => {
    const outcome = await runPlaybook({
      hosts: 1,
      inventoryExtra: '\n[down]\nh9 ansible_host=127.0.0.1 ansible_port=1\n',
      playbook: `
- hosts: all
  gather_facts: false
  tasks:
    - name: ping it
      command: "true"
`,
    });
    expect(outcome.rc).toBe(4);
    const down = resultOf(outcome, 'ping it', 'h9');
    expect(down.event).toBe('runner_on_unreachable');
    expect(down.result).toMatchObject({ unreachable: true, changed: false });
    expect(String(down.result.msg)).toMatch(/^Failed to connect to the host via ssh: /);
    expect(outcome.out).toContain('fatal: [h9]: UNREACHABLE! =>');
  });
});
