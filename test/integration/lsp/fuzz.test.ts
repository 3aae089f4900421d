/**
 * A few hundred mutated playbooks through the real server: every edit gets its diagnostics for that exact
 * version, every feature request answers (no error response), and the server is still alive at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus } from '../../fixtures/lsp/corpus';
import { mutate, rng } from '../../fixtures/lsp/mutate';
import { ensureBuilt, LspClient } from './client';

const COUNT = Number(process.env.PS_LSP_FUZZ_COUNT ?? 200);
let client: LspClient;

beforeAll(async () => {
  ensureBuilt();
  client = new LspClient();
  await client.initialize();
});

afterAll(async () => {
  await client?.shutdown();
});

describe('fuzz over LSP', () => {
  it(`${COUNT} mutated playbooks: diagnostics for each version, every request answered`, async () => {
    const seeds = corpus();
    const uri = 'file:///tmp/ps-lsp-fuzz/play.yml';
    let version = 1;
    await client.openAndWait(uri, seeds[0].text);
    let published = 0;
    for (let i = 0; i < COUNT; i++) {
      const random = rng(50_000 + i);
      const text = mutate(seeds[i % seeds.length].text, random);
      version++;
      const v = version;
      const wait = client.waitForDiagnostics(uri, (p) => p.version === v, 30_000);
      await client.change(uri, v, [{ text }]);
      const diags = (await wait).diagnostics;
      published++;
      for (const d of diags) {
        expect(d.range.start.line, `seed ${50_000 + i}`).toBeGreaterThanOrEqual(0);
        expect(typeof d.message).toBe('string');
      }
      if (i % 5 === 0) {
        const lines = text.split('\n');
        const line = Math.floor(random() * Math.max(1, lines.length));
        const character = Math.floor(random() * ((lines[line]?.length ?? 0) + 1));
        const position = { line, character };
        const td = { textDocument: { uri } };
        const whole = { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } };
        const answers = await Promise.all([
          client.request('textDocument/hover', { ...td, position }),
          client.request('textDocument/completion', { ...td, position }),
          client.request('textDocument/inlayHint', { ...td, range: whole }),
          client.request('textDocument/codeLens', td),
          client.request('textDocument/documentSymbol', td),
          client.request('textDocument/codeAction', { ...td, range: whole, context: { diagnostics: diags } }),
        ]);
        expect(Array.isArray(answers[2]), `seed ${50_000 + i}`).toBe(true);
        expect(Array.isArray(answers[3])).toBe(true);
        expect(Array.isArray(answers[4])).toBe(true);
      }
    }
    expect(published).toBe(COUNT);
    expect(client.process.exitCode).toBeNull();
    expect(client.stderr).not.toMatch(/rule .* failed/);
  }, 600_000);
});
