// Runs a TypeScript entry (benchmarks, tools) by bundling it with esbuild into out/run/ first.
// Usage: node scripts/run-ts.mjs path/to/main.ts [args...]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs ENTRY.ts [args...]');
  process.exit(2);
}
const outfile = `out/run/${basename(entry, '.ts')}-${process.pid}.cjs`;
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'cpu-features', '*.node', 'nunjucks', 'playwright-core'],
  logLevel: 'warning',
});
const child = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...args], { stdio: 'inherit' });
process.exit(child.status ?? 1);
