// Bundles the three entry points with esbuild. ssh2's optional native addon (cpu-features, *.node) stays
// external so ssh2 falls back to its pure-JS crypto and the .vsix ships no platform-specific binary.
import { build } from 'esbuild';
import { chmodSync, cpSync, existsSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: ['vscode', 'cpu-features', '*.node'],
};

const watch = process.argv.includes('--watch');
const entries = [
  { entryPoints: ['client/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['server/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

await Promise.all(entries.map((entry) => build({ ...common, ...entry })));
chmodSync('dist/cli.js', 0o755);
// The ansible engine's callback plugin ships beside the CLI (dist/ansible/callback_plugins).
if (existsSync('runtime/engines/ansible/callback_plugins')) {
  cpSync('runtime/engines/ansible/callback_plugins', 'dist/ansible/callback_plugins', { recursive: true });
}
if (watch) console.log('watch mode is not supported; re-run npm run build');
