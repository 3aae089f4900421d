import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../../runtime/events/journal';
import { sshd, writeInventory } from '../../host/sshd';
import { buildCli, runCli } from './cli-build';
import { tempDir } from './helpers';

let cli: string;
beforeAll(async () => {
  cli = await buildCli();
});

function setup(playbook: string, hosts = 1) {
  const dir = tempDir();
  writeFileSync(join(dir, 'playbook.yml'), playbook);
  const inventory = writeInventory(join(dir, 'inventory'), hosts);
  return { dir, playbook: join(dir, 'playbook.yml'), inventory };
}

const ONE_COMMAND = `
- name: one command
  hosts: all
  gather_facts: false
  tasks:
    - name: say hi
      command: echo hi
`;

describe('playbook-studio run', () => {
  it('prints ansible-like output, journals every event beside the playbook and exits 0', async () => {
    const s = setup(ONE_COMMAND, 2);
    const res = await runCli(cli, ['run', s.playbook, '-i', s.inventory, '--known-hosts', sshd().knownHosts, '--host-key-policy', 'strict']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('PLAY [one command] ****');
    expect(res.stdout).toMatch(/changed: \[h1\]\n/);
    expect(res.stdout).toMatch(/PLAY RECAP \*+\nh1 +: ok=1 +changed=1 +unreachable=0 +failed=0/);
    const runs = readdirSync(join(s.dir, '.playbook-studio', 'runs'));
    expect(runs).toHaveLength(1);
    const journal = readJournal(join(s.dir, '.playbook-studio', 'runs', runs[0]));
    expect(journal.badLines).toEqual([]);
    const names = journal.events.map((e) => e.event);
    expect(names[0]).toBe('playbook_on_start');
    expect(names).toContain('playbook_on_task_start');
    expect(names.at(-1)).toBe('playbook_on_stats');
    expect(journal.events.map((e) => e.seq)).toEqual(journal.events.map((_, i) => i + 1));
    const start = journal.events.find((e) => e.event === 'playbook_on_task_start');
    expect(start).toMatchObject({ task: 'say hi', action: 'command', task_path: `${s.playbook}:6` });
  });

  it('lists poll: 0 jobs the playbook never joined after the recap, with the journal to re-attach', async () => {
    const s = setup(`
- hosts: all
  gather_facts: false
  tasks:
    - name: launch and forget
      command: sleep 1
      async: 20
      poll: 0
      register: forgotten
    - name: launch and join
      command: "true"
      async: 20
      poll: 0
      register: joined
    - name: join
      async_status:
        jid: "{{ joined.ansible_job_id }}"
      register: done
      until: done.finished
      retries: 10
      delay: 1
`);
    const journal = join(s.dir, 'j.jsonl');
    const res = await runCli(cli, ['run', s.playbook, '-i', s.inventory, '--known-hosts', sshd().knownHosts, '--journal', journal]);
    expect(res.code, res.stderr).toBe(0);
    const after = res.stdout.slice(res.stdout.indexOf('PLAY RECAP'));
    expect(after).toMatch(/ASYNC JOBS NOT JOINED \(1\) \*+\nh1: jid=j\d+\.\d+ task="launch and forget" async=20s state=running/);
    expect(after).not.toContain('task="launch and join"');
    expect(after).toContain(`re-attach: playbook-studio jobs attach ${journal}`);
  });

  it('--events - streams JSON lines on stdout (human output on stderr) and --journal picks the file', async () => {
    const s = setup(ONE_COMMAND);
    const journal = join(s.dir, 'my.jsonl');
    const res = await runCli(cli, ['run', s.playbook, '-i', s.inventory, '--known-hosts', sshd().knownHosts, '--events', '-', '--journal', journal]);
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; seq: number });
    expect(lines.map((l) => l.event)).toEqual(readJournal(journal).events.map((e) => e.event));
    expect(lines.find((l) => l.event === 'runner_on_ok')).toMatchObject({ host: 'h1', result: { stdout: 'hi' } });
    expect(res.stderr).toContain('TASK [say hi]');
    expect(res.stderr).toContain('PLAY RECAP');
  });

  it('reports parse errors with file:line:col before contacting any host (exit 4)', async () => {
    const s = setup(`
- hosts: all
  gather_facts: false
  tasks:
    - name: typo makes a second action
      command: echo x
      retry: 3
`);
    // an inventory pointing at a closed port: contacting it would make the run unreachable instead
    writeFileSync(s.inventory, 'h1 ansible_host=127.0.0.1 ansible_port=1\n');
    const res = await runCli(cli, ['run', s.playbook, '-i', s.inventory]);
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(new RegExp(`ERROR! ${s.playbook.replace(/[.]/g, '\\.')}:\\d+:\\d+: `));
    expect(res.stdout).not.toContain('UNREACHABLE');
    expect(res.stdout).not.toContain('TASK [');
  });

  it('asks for an unknown host key on the events stream under --host-key-policy prompt', async () => {
    const s = setup(ONE_COMMAND);
    const knownHosts = join(s.dir, 'known_hosts');
    writeFileSync(knownHosts, '');
    const prompts: Record<string, unknown>[] = [];
    const res = await runCli(cli, ['run', s.playbook, '-i', s.inventory, '--known-hosts', knownHosts, '--host-key-policy', 'prompt', '--events', '-'], {
      onStdoutLine: (line, write) => {
        const value = JSON.parse(line) as Record<string, unknown>;
        if (value.event === 'host_key_prompt') {
          prompts.push(value);
          write(JSON.stringify({ trust: true }) + '\n');
        }
      },
    });
    expect(res.code, res.stderr).toBe(0);
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toMatchObject({ host: '127.0.0.1', port: sshd().port });
    expect(String(prompts[0].fingerprint)).toMatch(/^SHA256:/);
    expect(readFileSync(knownHosts, 'utf8')).toContain('127.0.0.1');
  });

  it('refuses an unknown host key when the client says no', async () => {
    const s = setup(ONE_COMMAND);
    const knownHosts = join(s.dir, 'known_hosts');
    writeFileSync(knownHosts, '');
    const res = await runCli(cli, ['run', s.playbook, '-i', s.inventory, '--known-hosts', knownHosts, '--host-key-policy', 'prompt', '--events', '-'], {
      onStdoutLine: (line, write) => {
        if ((JSON.parse(line) as { event: string }).event === 'host_key_prompt') write(JSON.stringify({ trust: false }) + '\n');
      },
    });
    expect(res.code).toBe(4);
    expect(res.stderr).toContain('UNREACHABLE!');
    expect(existsSync(knownHosts) && readFileSync(knownHosts, 'utf8').trim()).toBe('');
  });

  it('SIGINT cancels the run; --kill-jobs-on-cancel kills the async jobs it launched', async () => {
    const s = setup(`
- hosts: all
  gather_facts: false
  tasks:
    - name: long job
      command: sleep 120
      async: 300
      poll: 0
      register: job
    - name: wait a while
      pause: { seconds: 60 }
`);
    let jid = '';
    let resultsFile = '';
    const started = Date.now();
    const res = await runCli(cli, ['run', s.playbook, '-i', s.inventory, '--known-hosts', sshd().knownHosts, '--events', '-', '--kill-jobs-on-cancel'], {
      onStdoutLine: (line, _write, signal) => {
        const event = JSON.parse(line) as { event: string; jid?: string; resultsFile?: string; task?: string };
        if (event.event === 'job_started') {
          jid = event.jid ?? '';
          resultsFile = event.resultsFile ?? '';
        }
        if (event.event === 'playbook_on_task_start' && event.task === 'wait a while') signal('SIGINT');
      },
    });
    expect(Date.now() - started).toBeLessThan(50_000);
    expect(res.code).toBe(130);
    expect(jid).toMatch(/^j\d+\.\d+$/);
    expect(res.stdout).toContain('"killed on cancel"');
    expect(JSON.parse(readFileSync(resultsFile, 'utf8'))).toMatchObject({ failed: true, msg: 'Job killed on cancel' });
  });
});
