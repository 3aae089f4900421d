/** `playbook-studio check` on the article examples and on a directory mixing playbooks with unrelated YAML. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../lsp/client';
import { check } from './run-check';
import { examplesDir } from '../../shared';

const EXAMPLES = examplesDir;


let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ps-check-cli-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('check --json on the article examples', () => {
  it('the documented shape, exact budgets, no errors', async () => {
    const res = await check(['--json', EXAMPLES]);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as { files: { path: string; findings: Record<string, unknown>[]; budgets: Record<string, unknown>[] }[] };
    expect(Object.keys(out)).toEqual(['files']);
    // retry-delay-table.yml holds only comments: not a playbook, not listed
    expect(out.files.map((f) => f.path.split('/').pop()).sort()).toEqual([
      'async-cleanup.yml', 'async-error-handling.yml', 'async-loop-wait.yml', 'basic-async-status.yml', 'inspect-status.yml', 'multi-async-wait.yml', 'rolling-async-deploy.yml',
    ]);
    for (const f of out.files) {
      expect(Object.keys(f)).toEqual(['path', 'findings', 'budgets']);
      for (const finding of f.findings) expect(Object.keys(finding)).toEqual(['code', 'severity', 'line', 'column', 'endLine', 'endColumn', 'message']);
      for (const b of f.budgets) {
        expect(Object.keys(b)).toEqual(['line', 'task', 'kind', 'seconds', 'unbounded', 'text']);
        expect(['async', 'join', 'until', 'play']).toContain(b.kind);
      }
    }
    const basic = out.files.find((f) => f.path.endsWith('basic-async-status.yml'))!;
    expect(basic.budgets).toEqual([
      { line: 3, task: 'Run and wait for async task', kind: 'play', seconds: 3600, unbounded: false, text: '⏱ play worst case per host: ≤ 3,600 s' },
      { line: 8, task: 'Start long-running system update', kind: 'async', seconds: 0, unbounded: false, text: '⏱ launch only · job limit 3,600 s, killed at ~3,605 s' },
      { line: 16, task: 'Wait for system update to complete', kind: 'join', seconds: 3600, unbounded: false, text: '⏱ ≤ 3,600 s (120 × 30 s) · covers async 3,600 s' },
    ]);
    const multi = out.files.find((f) => f.path.endsWith('multi-async-wait.yml'))!;
    expect(multi.budgets.filter((b) => b.kind === 'join').map((b) => [b.line, b.seconds])).toEqual([[32, 600], [40, 1200], [48, 300]]);
    expect(multi.budgets.find((b) => b.kind === 'play')).toMatchObject({ seconds: 2100, unbounded: false });
    const rolling = out.files.find((f) => f.path.endsWith('rolling-async-deploy.yml'))!;
    expect(rolling.budgets.find((b) => b.kind === 'play')).toMatchObject({ seconds: null, unbounded: true });
    expect(rolling.budgets.find((b) => b.kind === 'until')).toMatchObject({ line: 64, seconds: 380 });
    // the article's mistakes: a shell operator in command, cleanup of a job that may still run
    const inspect = out.files.find((f) => f.path.endsWith('inspect-status.yml'))!;
    expect(inspect.findings.map((x) => [x.code, x.line, x.column])).toContainEqual(['command-shell-syntax', 8, 25]);
    const handling = out.files.find((f) => f.path.endsWith('async-error-handling.yml'))!;
    expect(handling.findings.map((x) => x.code)).toContain('cleanup-running-job');
    const errors = out.files.flatMap((f) => f.findings.filter((x) => x.severity === 'error'));
    expect(errors).toEqual([]);
  });
});

describe('check on a directory', () => {
  it('checks playbooks and task files, leaves other YAML alone, reports imported files under their own path', async () => {
    const project = join(dir, 'project');
    mkdirSync(join(project, 'tasks'), { recursive: true });
    mkdirSync(join(project, 'k8s'), { recursive: true });
    mkdirSync(join(project, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(project, 'site.yml'), `- hosts: all\n  tasks:\n    - name: launch\n      command: /opt/long\n      async: 1000\n      poll: 0\n      register: job\n    - import_tasks: tasks/wait.yml\n`);
    writeFileSync(join(project, 'tasks', 'wait.yml'), `- name: join\n  async_status:\n    jid: "{{ job.ansible_job_id }}"\n  register: r\n  until: r.finished\n  retries: 30\n`);
    writeFileSync(join(project, 'k8s', 'deploy.yaml'), `apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: x\n      image: nginx\n      command: ["a && b"]\n`);
    writeFileSync(join(project, '.github', 'workflows', 'ci.yml'), `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: sleep 1 && echo\n`);
    writeFileSync(join(project, 'docker-compose.yml'), `services:\n  web:\n    image: nginx\n`);
    const res = await check(['--json', project]);
    const out = JSON.parse(res.stdout) as { files: { path: string; findings: { code: string; line: number; message: string }[] }[] };
    expect(out.files.map((f) => f.path.slice(project.length + 1)).sort()).toEqual(['site.yml', 'tasks/wait.yml']);
    // seen from the playbook, the join in tasks/wait.yml is too short for the 1,000 s job
    const wait = out.files.find((f) => f.path.endsWith('wait.yml'))!;
    expect(wait.findings.find((f) => f.code === 'async-join-too-short')).toMatchObject({ line: 6 });
    expect(res.code).toBe(0);
  });

  it('--core-version changes version-specific findings; bad options exit 2', async () => {
    const file = join(dir, 'retries.yml');
    writeFileSync(file, `- hosts: all\n  tasks:\n    - name: flaky\n      command: /bin/flaky\n      retries: 3\n`);
    const old = await check(['--core-version', '2.14', file]);
    expect(old.stdout).toContain('warning retries-without-until: retries: 3 is ignored without until in ansible-core 2.14');
    const current = await check(['--core-version', '2.19', file]);
    expect(current.stdout).toContain('information retries-without-until: Without until, ansible-core 2.19 retries this task until it does not fail: at most 4 executions');
    expect((await check(['--core-version', 'latest', file])).code).toBe(2);
    expect((await check(['--frobnicate', file])).code).toBe(2);
    expect((await check([])).code).toBe(2);
  });

  it('a YAML syntax error is reported with file:line:col and exit 1, never a crash', async () => {
    const file = join(dir, 'broken.yml');
    writeFileSync(file, `- hosts: all\n  tasks:\n    - name: x\n      debug: {msg: "a"\n    - name: y\n`);
    const res = await check([file]);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error yaml-syntax: `, 'm'));
    expect(res.stderr).not.toContain('internal');
  });
});
