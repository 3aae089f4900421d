import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { remoteScratch, runPlaybook } from './helpers';

describe('--diff and the diff keyword', () => {
  it('prints unified diffs before the result for copy, template, lineinfile and file state; only when changed', async () => {
    const dir = remoteScratch('diff');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'conf'), 'a=1\nb=2\nc=3\n');
    writeFileSync(join(dir, 'lines'), 'one\ntwo\n');
    const outcome = await runPlaybook({
      options: { diff: true },
      playbook: {
        'templates/t.j2': 'port={{ port }}\n',
        'playbook.yml': `
- hosts: h1
  gather_facts: false
  vars: { port: 8080 }
  tasks:
    - name: copy content
      copy: { content: "a=1\\nb=20\\nc=3\\n", dest: "${dir}/conf" }
    - name: copy same content
      copy: { content: "a=1\\nb=20\\nc=3\\n", dest: "${dir}/conf" }
    - name: template new file
      template: { src: t.j2, dest: "${dir}/t.conf" }
    - name: lineinfile
      lineinfile: { path: "${dir}/lines", regexp: '^two', line: 'TWO' }
    - name: directory
      file: { path: "${dir}/sub", state: directory }
    - name: no diff for this one
      copy: { content: "x\\n", dest: "${dir}/quiet" }
      diff: false
`,
      },
    });
    const out = outcome.out;
    expect(outcome.rc, out + outcome.err).toBe(0);
    expect(out).toContain(`TASK [copy content] ****`);
    expect(out).toContain(`--- before: ${dir}/conf\n+++ after: dynamically generated\n@@ -1,3 +1,3 @@\n a=1\n-b=2\n+b=20\n c=3\n\nchanged: [h1]\n`);
    const same = out.slice(out.indexOf('TASK [copy same content]'), out.indexOf('TASK [template new file]'));
    expect(same).not.toContain('---');
    expect(out).toContain(`--- before\n+++ after: ${join(outcome.dir, 'templates/t.j2')}\n@@ -0,0 +1 @@\n+port=8080\n\nchanged: [h1]\n`);
    expect(out).toContain(`--- before: ${dir}/lines (content)\n+++ after: ${dir}/lines (content)\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n\nchanged: [h1]\n`);
    expect(out).toContain(`--- before\n+++ after\n@@ -1,4 +1,4 @@\n {\n     "path": "${dir}/sub",\n-    "state": "absent"\n+    "state": "directory"\n }\n\nchanged: [h1]\n`);
    const quiet = out.slice(out.indexOf('TASK [no diff for this one]'));
    expect(quiet).not.toContain('---');
    expect(outcome.events.filter((e) => e.event === 'runner_on_file_diff').length).toBe(4);
  });

  it('diff: true on a task works without --diff, in check mode too (nothing written)', async () => {
    const dir = remoteScratch('diff-kw');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'f'), 'old\n');
    const outcome = await runPlaybook({
      playbook: `
- hosts: h1
  gather_facts: false
  tasks:
    - name: plain
      copy: { content: "other\\n", dest: "${dir}/g" }
    - name: with keyword
      copy: { content: "new\\n", dest: "${dir}/f" }
      diff: true
      check_mode: true
`,
    });
    expect(outcome.out).toContain(`--- before: ${dir}/f\n+++ after: dynamically generated\n@@ -1 +1 @@\n-old\n+new\n\nchanged: [h1]\n`);
    expect(outcome.out.slice(0, outcome.out.indexOf('TASK [with keyword]'))).not.toContain('---');
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(dir, 'f'), 'utf8')).toBe('old\n');
  });
});

describe('--diff on the command line', () => {
  it('playbook-studio run --diff prints the diff; without it nothing', async () => {
    const { buildCli, runCli } = await import('./cli-build');
    const { sshd, writeInventory } = await import('../../host/sshd');
    const { tempDir } = await import('./helpers');
    const cli = await buildCli();
    const dir = remoteScratch('diff-cli');
    mkdirSync(dir, { recursive: true });
    const local = tempDir();
    writeFileSync(join(local, 'playbook.yml'), `
- hosts: h1
  gather_facts: false
  tasks:
    - name: write
      copy: { content: "{{ text }}\\n", dest: "${dir}/f" }
`);
    const inventory = writeInventory(join(local, 'inventory'), 1);
    const base = ['run', join(local, 'playbook.yml'), '-i', inventory, '--known-hosts', sshd().knownHosts, '--host-key-policy', 'strict'];
    const first = await runCli(cli, [...base, '-e', 'text=one']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).not.toContain('+++ after');
    const second = await runCli(cli, [...base, '-e', 'text=two', '--diff']);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toContain(`--- before: ${dir}/f\n+++ after: dynamically generated\n@@ -1 +1 @@\n-one\n+two\n\nchanged: [h1]\n`);
  }, 120_000);
});
