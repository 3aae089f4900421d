/** Every rule through `node dist/cli.js check --json`: the same cases as over LSP, one CLI run per version. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULE_CASES } from '../../fixtures/lsp/rule-cases';
import { ensureBuilt } from '../lsp/client';
import { check } from './run-check';


interface JsonOutput {
  files: { path: string; findings: { code: string; severity: string; line: number; column: number; endLine: number; endColumn: number; message: string }[]; budgets: unknown[] }[];
}

let dir: string;
const outputs = new Map<string, { code: number; json: JsonOutput }>();


beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ps-check-rules-'));
  const versions = [...new Set(RULE_CASES.map((c) => c.version ?? '2.19'))];
  for (const version of versions) {
    for (const kind of ['bad', 'good'] as const) {
      const files: string[] = [];
      RULE_CASES.forEach((c, i) => {
        if ((c.version ?? '2.19') !== version) return;
        const path = join(dir, `${version}-${i}-${c.code}-${kind}.yml`);
        writeFileSync(path, c[kind]);
        files.push(path);
      });
      const res = await check(['--json', '--core-version', version, ...files]);
      outputs.set(`${version}/${kind}`, { code: res.code, json: JSON.parse(res.stdout) as JsonOutput });
    }
  }
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function findings(version: string, kind: 'bad' | 'good', index: number, code: string) {
  const out = outputs.get(`${version}/${kind}`)!;
  const file = out.json.files.find((f) => f.path.endsWith(`/${version}-${index}-${code}-${kind}.yml`));
  expect(file, `no entry for case ${index} in ${JSON.stringify(out.json.files.map((f) => f.path))}`).toBeDefined();
  return file!.findings;
}

describe('rules through check --json', () => {
  RULE_CASES.forEach((c, i) => {
    const version = c.version ?? '2.19';
    it(`${c.code}${c.version ? ` (${c.version})` : ''}: reported on the bad case`, () => {
      const hits = findings(version, 'bad', i, c.code).filter((f) => f.code === c.code);
      expect(hits.map((f) => f.line)).toContain(c.line);
      const hit = hits.find((f) => f.line === c.line)!;
      if (c.severity) expect(hit.severity).toBe(c.severity);
      for (const text of c.says ?? []) expect(hit.message).toContain(text);
      expect(hit.column).toBeGreaterThan(0);
      expect(hit.endLine).toBeGreaterThanOrEqual(hit.line);
    });
    it(`${c.code}${c.version ? ` (${c.version})` : ''}: silent on the good case`, () => {
      expect(findings(version, 'good', i, c.code).filter((f) => f.code === c.code)).toEqual([]);
    });
  });

  it('exits 1 when an error is found and 0 when only warnings are', async () => {
    const bad = outputs.get('2.19/bad')!;
    expect(bad.code).toBe(1);
    const warnOnly = join(dir, 'warn-only.yml');
    writeFileSync(warnOnly, RULE_CASES.find((c) => c.code === 'poll-without-async')!.bad);
    const res = await check([warnOnly]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/warn-only\.yml:6:7: warning poll-without-async: poll: 5 has no effect/);
  });

  it('prints file:line:col: severity code: message and exits 2 on a missing path', async () => {
    const errFile = join(dir, 'err.yml');
    writeFileSync(errFile, RULE_CASES.find((c) => c.code === 'async-unsupported')!.bad);
    const res = await check([errFile]);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`${errFile}:7:7: error async-unsupported: This action (debug) does not support async.`);
    const missing = await check([join(dir, 'nope.yml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yml: no such file or directory');
  });
});
