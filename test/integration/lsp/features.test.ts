/** Editor features over the real server: inlay hints, hover, code lens, quick fixes, completion, symbols, settings, sync. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, CodeLens, CompletionItem, Diagnostic, DocumentSymbol, Hover, InlayHint, TextEdit } from 'vscode-languageserver-protocol';
import { RULE_CASES } from '../../fixtures/lsp/rule-cases';
import { ensureBuilt, LspClient } from './client';
import { applyEdits } from './edits';
import { examplesDir } from '../../shared';

let client: LspClient;
let dir: string;
let n = 0;
const uri = (name: string) => `file:///tmp/ps-features/${n++}-${name}`;
const EXAMPLES = examplesDir;
const VERSION_IN_URI = /\/v(\d+\.\d+(?:\.\d+)?)\//;

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ps-lsp-features-'));
  client = new LspClient();
  client.settingsFor = (u) => {
    const m = VERSION_IN_URI.exec(u);
    if (m) return { playbookStudio: { ansibleCoreVersion: m[1] } };
    if (u.includes('/severity-off/')) return { playbookStudio: { ruleSeverities: { 'poll-without-async': 'off', 'job-never-joined': 'error' } } };
    return undefined;
  };
  await client.initialize();
});

afterAll(async () => {
  await client?.shutdown();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const whole = { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } };
const hintsOf = (u: string) => client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: u }, range: whole });
const label = (h: InlayHint) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));

describe('inlay hints: exact budgets of the article examples', () => {
  const expected: Record<string, [number, string][]> = {
    'basic-async-status.yml': [
      [8, '⏱ launch only · job limit 3,600 s, killed at ~3,605 s'],
      [16, '⏱ ≤ 3,600 s (120 × 30 s) · covers async 3,600 s'],
    ],
    'multi-async-wait.yml': [
      [9, '⏱ launch only · job limit 600 s, killed at ~605 s'],
      [17, '⏱ launch only · job limit 1,200 s, killed at ~1,205 s'],
      [25, '⏱ launch only · job limit 300 s, killed at ~305 s'],
      [32, '⏱ ≤ 600 s (40 × 15 s) · covers async 600 s'],
      [40, '⏱ ≤ 1,200 s (80 × 15 s) · covers async 1,200 s'],
      [48, '⏱ ≤ 300 s (20 × 15 s) · covers async 300 s'],
    ],
    'async-cleanup.yml': [
      [7, '⏱ launch only · job limit 3,600 s, killed at ~3,605 s'],
      [13, '⏱ ≤ 3,600 s (120 × 30 s) · covers async 3,600 s'],
    ],
    'async-loop-wait.yml': [
      [19, '⏱ launch only · job limit 600 s, killed at ~605 s · with datasets = 3 items (play vars)'],
      [28, '⏱ ≤ 1,800 s (3 items × 40 × 15 s) · covers async 600 s · with datasets = 3 items (play vars)'],
    ],
    'async-error-handling.yml': [
      [8, '⏱ launch only · job limit 1,800 s, killed at ~1,805 s'],
      [14, '⏱ ≤ 1,800 s (60 × 30 s) · covers async 1,800 s'],
    ],
    'rolling-async-deploy.yml': [
      [19, '⏱ launch only · job limit 300 s, killed at ~305 s'],
      [45, '⏱ ≤ 300 s (30 × 10 s) · covers async 300 s'],
      [64, '⏱ ≤ 380 s (11 × 30 s + 10 × 5 s)'],
    ],
  };
  for (const [file, rows] of Object.entries(expected)) {
    it(file, async () => {
      const u = pathToFileURL(join(EXAMPLES, file)).href;
      await client.openAndWait(u, readFileSync(join(EXAMPLES, file), 'utf8'), 'yaml');
      const hints = await hintsOf(u);
      const got = hints.filter((h) => label(h).includes('⏱')).map((h) => [h.position.line + 1, label(h)] as [number, string]);
      for (const row of rows) expect(got).toContainEqual(row);
      await client.close(u);
    });
  }

  it('puts the hint at the end of the task first line', async () => {
    const u = uri('pos.yml');
    const text = `- hosts: all\n  tasks:\n    - name: wait\n      command: /bin/check\n      register: r\n      until: r.rc == 0\n      retries: 4\n      delay: 2\n`;
    await client.openAndWait(u, text);
    const hints = await hintsOf(u);
    expect(hints).toHaveLength(1);
    expect(hints[0].position).toEqual({ line: 2, character: '    - name: wait'.length });
    expect(label(hints[0])).toBe('⏱ unbounded (5 attempts; command has no time limit; 4 × 2 s between)');
  });
});

describe('hover', () => {
  const text = `- hosts: all\n  tasks:\n    - name: launch\n      command: /opt/long\n      async: 1000\n      poll: 0\n      register: job\n    - name: join\n      async_status:\n        jid: "{{ job.ansible_job_id }}"\n      register: r\n      until: r.finished\n      retries: 30\n    - name: polled\n      command: /opt/x\n      async: 45\n`;
  const at = async (line: number, character: number) => {
    const u = uri('hover.yml');
    await client.openAndWait(u, text);
    return client.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: { line, character } });
  };
  const md = (h: Hover | null) => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '');

  it('poll: default 15 s, never 10', async () => {
    const h = md(await at(5, 7));
    expect(h).toContain('**Default 15**');
    expect(h).not.toMatch(/default:? 10/i);
  });
  it('retries on a join: the computed wait and formula', async () => {
    const h = md(await at(12, 8));
    expect(h).toContain('≤ 150 s (30 × 5 s) · shorter than async 1,000 s');
    expect(h).toContain('attempts = 1 + retries 30 = 31');
  });
  it('async with default poll: checks and watchdog', async () => {
    const h = md(await at(15, 7));
    expect(h).toContain('⌈async 45 / poll 15⌉ = 3');
    expect(h).toContain('5·(1+⌈45/5⌉) = 50 s');
  });
  it('async_status: what it reads and that cleanup does not stop the job', async () => {
    const h = md(await at(8, 8));
    expect(h).toContain('does **not** stop the job');
    expect(h).toContain('async limit 1,000 s');
  });
});

describe('code lens', () => {
  it('worst case per play and a Run playbook lens with [uri, playIndex]', async () => {
    const u = uri('lens.yml');
    const text = `- name: one\n  hosts: all\n  tasks:\n    - name: w\n      command: /bin/true\n      async: 30\n      poll: 10\n- name: two\n  hosts: all\n  tasks:\n    - name: d\n      debug:\n        msg: hi\n`;
    await client.openAndWait(u, text);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: u } });
    const runs = lenses.filter((l) => l.command?.command === 'playbookStudio.runPlaybook');
    expect(runs.map((l) => [l.range.start.line, l.command!.arguments])).toEqual([
      [0, [u, 0]],
      [7, [u, 1]],
    ]);
    expect(runs[0].command!.title).toBe('▶ Run playbook');
    const worst = lenses.filter((l) => l.command?.title.includes('worst case')).map((l) => [l.range.start.line, l.command!.title]);
    expect(worst).toEqual([
      [0, '⏱ play worst case per host: ≤ 30 s'],
      [7, '⏱ play worst case per host: ≤ 0 s'],
    ]);
  });
});

describe('quick fixes remove the finding they fix', () => {
  for (const [i, c] of RULE_CASES.entries()) {
    it(`${c.code}${c.version ? ` (${c.version})` : ''}`, async () => {
      const base = `file:///tmp/ps-fixes/v${c.version ?? '2.19'}/${i}-${n++}`;
      const diags = await client.openAndWait(`${base}/bad.yml`, c.bad);
      const d = diags.find((x) => x.code === c.code && x.range.start.line + 1 === c.line) as Diagnostic;
      expect(d).toBeDefined();
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: `${base}/bad.yml` },
        range: d.range,
        context: { diagnostics: [d], only: ['quickfix'] },
      });
      const mine = actions.filter((a) => a.diagnostics?.some((x) => x.code === c.code));
      if (mine.length === 0) return; // rules without a mechanical fix (checked below: most have one)
      const fix = mine.find((a) => a.isPreferred) ?? mine[0];
      const edits = fix.edit!.changes![`${base}/bad.yml`] as TextEdit[];
      const fixed = applyEdits(c.bad, edits);
      const after = await client.openAndWait(`${base}/fixed.yml`, fixed);
      expect(after.filter((x) => x.code === c.code && x.range.start.line === d.range.start.line), fixed).toEqual([]);
      expect(after.filter((x) => x.code === 'yaml-syntax'), fixed).toEqual([]);
    });
  }

  it('offers the fixes the issue lists', async () => {
    const titles: string[] = [];
    for (const [i, c] of RULE_CASES.entries()) {
      const u = `file:///tmp/ps-fix-titles/v${c.version ?? '2.19'}/${i}-${n++}.yml`;
      const diags = await client.openAndWait(u, c.bad);
      for (const d of diags) {
        const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: d.range, context: { diagnostics: [d] } });
        titles.push(...actions.map((a) => a.title));
      }
    }
    expect(titles).toContain('Set retries to 200 (ceil(1,000 / 5))');
    expect(titles.some((t) => t.startsWith('Add register: '))).toBe(true);
    expect(titles).toContain('Loop over jobs.results');
    expect(titles).toContain('Use shell (runs through /bin/sh)');
    expect(titles).toContain("Change 'retires' to 'retries'");
    expect(titles).toContain('Remove the useless poll');
  });
});

describe('completion', () => {
  const text = `- hosts: all\n  tasks:\n    - name: launch\n      command: /opt/long\n      async: 100\n      poll: 0\n      register: job\n    - name: join\n      async_status:\n        jid: "{{ job. }}"\n        \n      register: r\n      until: r.\n      \n`;
  const complete = async (line: number, character: number) => {
    const u = uri('complete.yml');
    await client.openAndWait(u, text);
    const res = await client.request<CompletionItem[] | { items: CompletionItem[] }>('textDocument/completion', { textDocument: { uri: u }, position: { line, character } });
    return (Array.isArray(res) ? res : res.items).map((i) => i.label);
  };
  it('fields of a poll 0 launch inside {{ }}', async () => {
    const labels = await complete(9, '        jid: "{{ job.'.length);
    expect(labels).toContain('ansible_job_id');
    expect(labels).toContain('finished');
    expect(labels).not.toContain('rc');
  });
  it('fields of an async_status result in until', async () => {
    const labels = await complete(12, '      until: r.'.length);
    expect(labels).toEqual(expect.arrayContaining(['finished', 'rc', 'stdout', 'ansible_job_id']));
  });
  it('module options inside the module arguments', async () => {
    const labels = await complete(10, 8);
    expect(labels).toEqual(expect.arrayContaining(['jid', 'mode']));
  });
  it('keywords at a task key position', async () => {
    const labels = await complete(13, 6);
    expect(labels).toEqual(expect.arrayContaining(['retries', 'delay', 'until', 'async', 'poll', 'register']));
  });
  it('registered names in until', async () => {
    const u = uri('complete2.yml');
    const t = text.replace('until: r.', 'until: ');
    await client.openAndWait(u, t);
    const res = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: u }, position: { line: 12, character: '      until: '.length } });
    expect(res.map((i) => i.label)).toEqual(expect.arrayContaining(['job', 'r']));
  });
  it('module names for a new task', async () => {
    const u = uri('complete3.yml');
    const t = `- hosts: all\n  tasks:\n    - name: x\n      \n`;
    await client.openAndWait(u, t);
    const res = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: u }, position: { line: 3, character: 6 } });
    expect(res.map((i) => i.label)).toEqual(expect.arrayContaining(['async_status', 'command', 'ansible.builtin.async_status', 'retries']));
  });
});

describe('document symbols', () => {
  it('plays, tasks, blocks and handlers', async () => {
    const u = uri('symbols.yml');
    const text = `- name: web\n  hosts: all\n  tasks:\n    - name: first\n      command: /bin/true\n    - block:\n        - name: inner\n          debug:\n            msg: x\n  handlers:\n    - name: restart\n      command: /bin/true\n`;
    await client.openAndWait(u, text);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: u } });
    expect(symbols.map((s) => s.name)).toEqual(['web']);
    expect(symbols[0].children!.map((s) => s.name)).toEqual(['first', 'block', 'restart']);
    expect(symbols[0].children![1].children!.map((s) => s.name)).toEqual(['inner']);
    expect(symbols[0].children![2].detail).toContain('handler');
  });
});

describe('which documents are playbooks', () => {
  const k8s = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          command: ["sh", "-c", "a && b"]\n`;
  const workflow = `name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n`;
  const compose = `services:\n  web:\n    image: nginx\n    command: sleep 1 && echo\n`;
  const yamlList = `- apple\n- banana\n`;
  for (const [name, text] of [['k8s.yaml', k8s], ['workflow.yml', workflow], ['compose.yml', compose], ['list.yml', yamlList]]) {
    it(`leaves ${name} alone`, async () => {
      const u = uri(name);
      const diags = await client.openAndWait(u, text, 'yaml');
      expect(diags).toEqual([]);
      expect(await hintsOf(u)).toEqual([]);
      expect(await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: u } })).toEqual([]);
    });
  }
  it('claims a YAML playbook and a YAML task file', async () => {
    const bad = RULE_CASES.find((c) => c.code === 'async-unsupported')!.bad;
    expect((await client.openAndWait(uri('play.yml'), bad, 'yaml')).map((d) => d.code)).toContain('async-unsupported');
    const tasks = `- name: print\n  debug:\n    msg: hi\n  async: 10\n`;
    expect((await client.openAndWait(uri('tasks.yml'), tasks, 'yaml')).map((d) => d.code)).toContain('async-unsupported');
  });
  it('claims YAML with the language=ansible modeline', async () => {
    const text = `# code: language=ansible\n- debug:\n    msg: hi\n  async: 10\n`;
    expect((await client.openAndWait(uri('modeline.yml'), text, 'yaml')).map((d) => d.code)).toContain('async-unsupported');
  });
});

describe('settings', () => {
  it('rule severities by code (off, raised to error)', async () => {
    const text = `- hosts: all\n  tasks:\n    - name: a\n      command: sleep 1\n      poll: 5\n    - name: b\n      command: sleep 100\n      async: 200\n      poll: 0\n      register: j\n`;
    const diags = await client.openAndWait(`file:///tmp/ps-features/severity-off/${n++}.yml`, text);
    expect(diags.filter((d) => d.code === 'poll-without-async')).toEqual([]);
    expect(diags.find((d) => d.code === 'job-never-joined')?.severity).toBe(1);
    const normal = await client.openAndWait(uri('severity-normal.yml'), text);
    expect(normal.find((d) => d.code === 'poll-without-async')?.severity).toBe(2);
    expect(normal.find((d) => d.code === 'job-never-joined')?.severity).toBe(3);
  });
  it('messages follow the target version', async () => {
    const bad = RULE_CASES.find((c) => c.code === 'async-unsupported')!.bad;
    const d214 = await client.openAndWait(`file:///tmp/ps-features/v2.14/${n++}.yml`, bad);
    const d219 = await client.openAndWait(`file:///tmp/ps-features/v2.19/${n++}.yml`, bad);
    expect(d214.find((d) => d.code === 'async-unsupported')!.message).toMatch(/^async is not supported for this task\./);
    expect(d219.find((d) => d.code === 'async-unsupported')!.message).toMatch(/^This action \(debug\) does not support async\./);
  });
  it('a configuration change re-checks open documents', async () => {
    const second = new LspClient({ settings: { playbookStudio: { ansibleCoreVersion: '2.19' } } });
    try {
      await second.initialize();
      const u = uri('config-change.yml');
      const text = RULE_CASES.find((c) => c.code === 'retries-without-until' && c.version === '2.14')!.bad;
      const first = await second.openAndWait(u, text);
      expect(first.find((d) => d.code === 'retries-without-until')!.severity).toBe(3);
      second.settings = { playbookStudio: { ansibleCoreVersion: '2.14' } };
      const next = second.waitForDiagnostics(u, (p) => p.diagnostics.some((d) => d.code === 'retries-without-until' && d.severity === 2));
      await second.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      expect((await next).diagnostics.find((d) => d.code === 'retries-without-until')!.message).toContain('ignored');
    } finally {
      await second.shutdown();
    }
  });
});

describe('document sync', () => {
  it('incremental changes update the diagnostics (debounced, latest version wins)', async () => {
    const u = uri('incremental.yml');
    const good = RULE_CASES.find((c) => c.code === 'unknown-keyword')!.good;
    expect((await client.openAndWait(u, good)).filter((d) => d.code === 'unknown-keyword')).toEqual([]);
    // line 8 is "      retries: 5": type a typo in three quick edits
    const line = 7;
    const done = client.waitForDiagnostics(u, (p) => p.version === 4);
    await client.change(u, 2, [{ range: { start: { line, character: 6 }, end: { line, character: 13 } }, text: 'ret' }]);
    await client.change(u, 3, [{ range: { start: { line, character: 9 }, end: { line, character: 9 } }, text: 'ir' }]);
    await client.change(u, 4, [{ range: { start: { line, character: 11 }, end: { line, character: 11 } }, text: 'es' }]);
    const diags = (await done).diagnostics;
    expect(diags.find((d) => d.code === 'unknown-keyword')?.message).toContain("'retires'");
  });

  it('follows import_tasks from disk and re-checks when the imported document changes', async () => {
    const tasksPath = join(dir, 'wait.yml');
    writeFileSync(tasksPath, `- name: join\n  async_status:\n    jid: "{{ job.ansible_job_id }}"\n  register: r\n  until: r.finished\n  retries: 10\n`);
    const playPath = join(dir, 'site.yml');
    const playText = `- hosts: all\n  tasks:\n    - name: launch\n      command: /opt/long\n      async: 1000\n      poll: 0\n      register: job\n    - import_tasks: wait.yml\n`;
    writeFileSync(playPath, playText);
    const playUri = pathToFileURL(playPath).href;
    const first = await client.openAndWait(playUri, playText);
    // joined in the imported file: not "never joined"
    expect(first.filter((d) => d.code === 'job-never-joined')).toEqual([]);
    const hints = await hintsOf(playUri);
    expect(hints.map(label)).toContain('⏱ launch only · job limit 1,000 s, killed at ~1,005 s');
    // open the imported file and drop the join: the playbook is re-checked with the unsaved text
    const tasksUri = pathToFileURL(tasksPath).href;
    const tasksText = readFileSync(tasksPath, 'utf8');
    const own = await client.openAndWait(tasksUri, tasksText);
    expect(own.filter((d) => d.code === 'yaml-syntax')).toEqual([]);
    const unjoined = client.waitForDiagnostics(playUri, (p) => p.diagnostics.some((d) => d.code === 'job-never-joined'));
    await client.change(tasksUri, 2, [{ text: `- name: no join any more\n  debug:\n    msg: hi\n` }]);
    expect((await unjoined).diagnostics.find((d) => d.code === 'job-never-joined')!.range.start.line).toBe(3);
  });
});
