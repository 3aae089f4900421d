/** Every rule over the real language server (dist/server.js --stdio): the bad case reports it, the good one does not. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULE_CASES } from '../../fixtures/lsp/rule-cases';
import { ensureBuilt, LspClient } from './client';

let client: LspClient;
const VERSION_IN_URI = /\/v(\d+\.\d+(?:\.\d+)?)\//;

beforeAll(async () => {
  ensureBuilt();
  client = new LspClient();
  client.settingsFor = (uri) => {
    const m = VERSION_IN_URI.exec(uri);
    return m ? { playbookStudio: { ansibleCoreVersion: m[1] } } : undefined;
  };
  await client.initialize();
});

afterAll(async () => {
  await client?.shutdown();
});

describe('rules over LSP', () => {
  RULE_CASES.forEach((c, i) => {
    const dir = `file:///tmp/ps-rules/v${c.version ?? '2.19'}/${i}-${c.code}`;
    it(`${c.code}${c.version ? ` (${c.version})` : ''}: reported on the bad case`, async () => {
      const diags = await client.openAndWait(`${dir}/bad.yml`, c.bad);
      const hits = diags.filter((d) => d.code === c.code);
      expect(hits.length, JSON.stringify(diags, null, 1)).toBeGreaterThan(0);
      expect(hits.map((d) => d.range.start.line + 1)).toContain(c.line);
      const hit = hits.find((d) => d.range.start.line + 1 === c.line)!;
      if (c.severity) expect(hit.severity).toBe({ error: 1, warning: 2, information: 3, hint: 4 }[c.severity]);
      for (const text of c.says ?? []) expect(hit.message).toContain(text);
    });
    it(`${c.code}${c.version ? ` (${c.version})` : ''}: silent on the good case`, async () => {
      const diags = await client.openAndWait(`${dir}/good.yml`, c.good);
      expect(diags.filter((d) => d.code === c.code)).toEqual([]);
    });
  });
});
