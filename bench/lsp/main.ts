/**
 * Language server benchmark, side by side in one run: Playbook Studio's server (dist/server.js) and the published
 * Ansible language server (@ansible/ansible-language-server, which runs ansible-lint). Rows:
 *   didOpen → first diagnostics, 34-line playbook and 2,000-task playbook (fresh file each run);
 *   edit → updated diagnostics (didChange, then the file is written and didSave sent, since the Ansible server
 *   re-lints on save; ours answers the didChange alone);
 *   peak RSS of each server's process tree (children such as ansible-lint included).
 * Usage: node scripts/run-ts.mjs bench/lsp/main.ts [--runs N] [--als-runs N]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, LspClient, root, serverPath } from '../../test/integration/lsp/client';
import { largePlaybook, SMALL_PLAYBOOK } from './playbooks';
import { PeakRss } from './rss';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('--runs', 5);
const ALS_RUNS = arg('--als-runs', 3);
const ALS_CLI = join(root, 'node_modules', '@ansible', 'ansible-language-server', 'dist', 'cli.cjs');
/** the Node flags the VS Code client starts our server with (client/languageClient.ts): measure what users run */
const SERVER_NODE_FLAGS = ['--max-semi-space-size=1'];

interface ServerSpec {
  name: string;
  args: string[];
  runs: number;
  /** the edit must be saved for this server to re-check */
  saveAfterChange: boolean;
}

interface Rows {
  [row: string]: number[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : NaN;
};

/** the typo fix that changes both servers' diagnostics: `retires:` → `retries:` */
function fixTypo(text: string): { text: string; line: number; character: number } {
  const index = text.indexOf('retires:');
  const line = text.slice(0, index).split('\n').length - 1;
  const character = index - (text.lastIndexOf('\n', index - 1) + 1);
  return { text: text.replace('retires:', 'retries:'), line, character };
}

async function measure(spec: ServerSpec, dir: string, large: string): Promise<{ rows: Rows; peakMb: number; counts: Record<string, number> }> {
  const client = new LspClient({ args: spec.args, cwd: dir });
  const rss = new PeakRss(client.process.pid!);
  const rows: Rows = {};
  const counts: Record<string, number> = {};
  const add = (row: string, ms: number) => (rows[row] ??= []).push(ms);
  try {
    await client.initialize({ rootUri: pathToFileURL(dir).href });
    const cases: [string, string][] = [['34-line playbook', SMALL_PLAYBOOK], ['2,000-task playbook', large]];
    for (let run = 0; run < spec.runs; run++) {
      for (const [label, text] of cases) {
        const path = join(dir, `${spec.name.replace(/\W+/g, '-')}-${run}-${label.replace(/\W+/g, '-')}.yml`);
        writeFileSync(path, text);
        const uri = pathToFileURL(path).href;
        const nonEmpty = (p: { diagnostics: unknown[] }) => p.diagnostics.length > 0;
        let t = performance.now();
        const first = client.waitForDiagnostics(uri, nonEmpty, 600_000);
        await client.open(uri, text, 'ansible', 1);
        const firstDiags = (await first).diagnostics;
        add(`didOpen → first diagnostics, ${label}`, performance.now() - t);
        process.stderr.write(`  ${spec.name} run ${run + 1}: ${label} open ${Math.round(performance.now() - t)} ms\n`);
        counts[label] = firstDiags.length;

        const edit = fixTypo(text);
        const before = JSON.stringify(firstDiags.map((d) => [d.range.start.line, d.code, d.message]));
        t = performance.now();
        const updated = client.waitForDiagnostics(uri, (p) => JSON.stringify(p.diagnostics.map((d) => [d.range.start.line, d.code, d.message])) !== before, 600_000);
        await client.change(uri, 2, [{ range: { start: { line: edit.line, character: edit.character }, end: { line: edit.line, character: edit.character + 'retires'.length } }, text: 'retries' }]);
        if (spec.saveAfterChange) {
          writeFileSync(path, edit.text);
          await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
        }
        await updated;
        add(`edit → updated diagnostics, ${label}`, performance.now() - t);
        await client.close(uri);
      }
    }
  } finally {
    await client.shutdown();
  }
  return { rows, peakMb: rss.stop() / 1024, counts };
}

function version(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0].replace(/\x1b\[[0-9;]*m/g, '');
  } catch {
    return 'not found';
  }
}

async function main() {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'ps-bench-lsp-'));
  const large = largePlaybook(2000);
  try {
    console.log(`Playbook Studio server: node ${SERVER_NODE_FLAGS.join(' ')} ${serverPath}`);
    console.log(`Ansible language server 26.6.0: ${ALS_CLI} (${version('ansible-lint', ['--version'])})`);
    console.log(`runs: ${RUNS} (ours), ${ALS_RUNS} (Ansible language server); median wall-clock ms per row\n`);
    const ours = await measure({ name: 'playbook-studio', args: [...SERVER_NODE_FLAGS, serverPath, '--stdio'], runs: RUNS, saveAfterChange: false }, dir, large);
    const als = await measure({ name: 'ansible-language-server', args: [ALS_CLI, '--stdio'], runs: ALS_RUNS, saveAfterChange: true }, dir, large);
    const table: string[][] = [['row', 'Playbook Studio', 'Ansible LS 26.6.0', 'ratio']];
    for (const row of Object.keys(ours.rows)) {
      const a = median(ours.rows[row]);
      const b = median(als.rows[row] ?? []);
      table.push([row, `${a.toFixed(1)} ms`, `${b.toFixed(1)} ms`, `${(b / a).toFixed(1)}×`]);
    }
    table.push(['peak RSS (process tree)', `${ours.peakMb.toFixed(1)} MB`, `${als.peakMb.toFixed(1)} MB`, `${(als.peakMb / ours.peakMb).toFixed(1)}×`]);
    const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
    for (const r of table) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
    console.log(`\nfirst diagnostics counted: ours ${JSON.stringify(ours.counts)}, Ansible LS ${JSON.stringify(als.counts)}`);
    console.log(`all runs (ms): ours ${JSON.stringify(Object.fromEntries(Object.entries(ours.rows).map(([k, v]) => [k, v.map((x) => Math.round(x))])))}`);
    console.log(`all runs (ms): Ansible LS ${JSON.stringify(Object.fromEntries(Object.entries(als.rows).map(([k, v]) => [k, v.map((x) => Math.round(x))])))}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
