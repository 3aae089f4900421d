/**
 * `become` on async tasks, as Ansible runs async_wrapper through become: the job runs as the become user, its
 * status file is in that user's async dir (`~` is their home), and async_status / poll > 0 read it as them.
 * The test sshd logs in as root, so sudo to `nobody` never asks for a password.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { runAsyncTask } from '../../../runtime/async';
import { asyncStatusModule } from '../../../runtime/async/async-status';
import { shellQuote } from '../../../runtime/connection/quote';
import type { Connection, ExecOptions } from '../../../runtime/connection/types';
import type { TaskResult } from '../../../runtime/events/types';
import { projectRoot, sshd } from '../../host/sshd';
import { hasSudo } from '../connection/helpers';
import { asyncStatusContext, commandScript, connect, recorder, remote } from './helpers';

const ssh = connect(5);
afterAll(() => ssh.close());
const opened: string[] = [];
const becomeUsers: Array<string | undefined> = [];
/** the SSH connection, recording which user each command ran as and which streams were opened */
const connection: Connection = {
  host: ssh.host,
  exec(command: string, options?: ExecOptions) {
    becomeUsers.push(options?.becomeUser);
    return ssh.exec(command, options);
  },
  openStream(command: string) {
    opened.push(command);
    return ssh.openStream(command);
  },
  putFile: (p, c, m) => ssh.putFile(p, c, m),
  getFile: (p) => ssh.getFile(p),
  close: () => ssh.close(),
};
const become = { becomeUser: 'nobody' };
/** /tmp is writable by nobody, whose home (/nonexistent) is not */
const asyncDirFor = (label: string) => `/tmp/ps-async-become-${label}-${randomBytes(4).toString('hex')}`;

describe.runIf(hasSudo())('become on async jobs (sudo to nobody)', () => {
  test('poll 0 + async_status until: the job runs as nobody, its status file is theirs, the join reads it as them', async () => {
    const asyncDir = asyncDirFor('join');
    try {
      becomeUsers.length = 0;
      const streamsBefore = opened.length;
      const launched = await runAsyncTask({ connection, host: 'h6', taskId: 't', task: 'as nobody', script: commandScript('sleep 1; id -un'), asyncSeconds: 60, poll: 0, asyncDir, coreVersion: '2.14', become, emit: recorder().emit, instantJoins: true });
      expect(launched).toMatchObject({ started: 1, finished: 0, failed: 0 });
      const jid = launched.ansible_job_id as string;
      // launched through the host's watch stream, opened through sudo as nobody (an exec would be as nobody too)
      expect(becomeUsers.every((user) => user === 'nobody')).toBe(true);
      expect(opened.slice(streamsBefore).some((command) => command.startsWith("sudo -H -S -n -u 'nobody'") || command.startsWith('sudo -H -S -n -u nobody'))).toBe(true);
      expect((await remote(ssh, `stat -c %U ${shellQuote(`${asyncDir}/${jid}`)}`)).trim()).toBe('nobody');

      const ctx = asyncStatusContext(connection, 'h6', jid, asyncDir, { keywords: { retries: { value: 5 }, delay: { value: 10 } } });
      ctx.vars.ansible_become = true;
      ctx.vars.ansible_become_user = 'nobody';
      const started = Date.now();
      let result: TaskResult = {};
      let attempts = 0;
      for (attempts = 1; attempts <= 6; attempts++) {
        result = await asyncStatusModule.run(ctx);
        if (result.finished === 1) break;
        await asyncStatusModule.waitBeforeRetry!(ctx, 10);
      }
      expect(result).toMatchObject({ finished: 1, rc: 0, stdout: 'nobody' });
      expect(attempts).toBe(2);
      // the end was noticed by the watcher (running as nobody through sudo), not by sleeping out the delay
      expect(Date.now() - started).toBeLessThan(9000);
      expect(opened.slice(streamsBefore).some((command) => command.startsWith("sudo -H -S -n -u 'nobody'") || command.startsWith('sudo -H -S -n -u nobody'))).toBe(true);
      expect(becomeUsers.every((user) => user === 'nobody')).toBe(true);
    } finally {
      await remote(ssh, `rm -rf ${shellQuote(asyncDir)}`);
    }
  }, 30_000);

  test('poll > 0: result, cleanup as the become user', async () => {
    const asyncDir = asyncDirFor('poll');
    try {
      const rec = recorder();
      const result = await runAsyncTask({ connection, host: 'h6', taskId: 't', task: 'as nobody', script: commandScript('id -un'), asyncSeconds: 20, poll: 1, asyncDir, coreVersion: '2.14', become, emit: rec.emit, instantJoins: true });
      expect(result).toMatchObject({ finished: 1, rc: 0, stdout: 'nobody' });
      expect(rec.events.map((e) => e.event)).toContain('job_cleaned');
      expect((await remote(ssh, `ls -A ${shellQuote(asyncDir)}`)).trim()).toBe('');
      expect(rec.events.find((e) => e.event === 'job_started')).toMatchObject({ becomeUser: 'nobody' });
    } finally {
      await remote(ssh, `rm -rf ${shellQuote(asyncDir)}`);
    }
  }, 30_000);

  test("~ in the async dir is the become user's home, as async_wrapper expands it there", async () => {
    // nobody's home is /nonexistent: the default dir cannot be created, and the message names where it looked
    const launched = await runAsyncTask({ connection, host: 'h6', taskId: 't', task: 'as nobody', script: commandScript('true'), asyncSeconds: 10, poll: 0, asyncDir: '~/.ansible_async', coreVersion: '2.14', become, emit: recorder().emit, instantJoins: true });
    expect(launched).toMatchObject({ failed: true, changed: false });
    expect(String(launched.msg)).toMatch(/^could not create directory: \/nonexistent\/\.ansible_async - /);
  });

  test('an unknown become user fails the launch with a clear message', async () => {
    const launched = await runAsyncTask({ connection, host: 'h6', taskId: 't', task: 'as nobody', script: commandScript('true'), asyncSeconds: 10, poll: 0, asyncDir: asyncDirFor('unknown'), coreVersion: '2.14', become: { becomeUser: 'no-such-user-ps' }, emit: recorder().emit, instantJoins: true });
    expect(launched).toMatchObject({ failed: true, changed: false, msg: 'become (sudo) failed: unknown user no-such-user-ps.' });
  });

  test('a playbook with become: the executor hands become to the launch and to async_status', async () => {
    const info = sshd();
    const work = mkdtempSync(join(tmpdir(), 'ps-async-become-'));
    const asyncDir = asyncDirFor('playbook');
    writeFileSync(
      join(work, 'inventory'),
      [`h1 ansible_host=${info.hosts[5]}`, '[all:vars]', `ansible_port=${info.port}`, `ansible_user=${info.user}`, `ansible_ssh_private_key_file=${info.privateKey}`, `ansible_async_dir=${asyncDir}`, ''].join('\n'),
    );
    writeFileSync(
      join(work, 'playbook.yml'),
      `- hosts: h1
  gather_facts: false
  become: true
  become_user: nobody
  tasks:
    - command: id -un
      async: 30
      poll: 0
      register: job
    - async_status:
        jid: "{{ job.ansible_job_id }}"
      register: r
      until: r.finished
      retries: 10
      delay: 1
    - debug:
        msg: "ran as {{ r.stdout }}, status file {{ job.results_file }}"
`,
    );
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [join(projectRoot, 'scripts', 'run-ts.mjs'), 'cli/main.ts', 'run', join(work, 'playbook.yml'), '-i', join(work, 'inventory'), '--known-hosts', info.knownHosts, '--host-key-policy', 'strict', '--no-color'], { cwd: projectRoot, timeout: 60_000 });
      expect(stdout).toMatch(new RegExp(`"msg": "ran as nobody, status file ${asyncDir}/j\\d+\\.\\d+"`));
      // the command result joined by async_status is changed, as in Ansible
      expect(stdout).toMatch(/h1 +: ok=3 +changed=2 +unreachable=0 +failed=0/);
    } finally {
      await remote(ssh, `rm -rf ${shellQuote(asyncDir)}`);
    }
  }, 90_000);
});
