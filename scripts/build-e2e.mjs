// Bundles the integration tests that run inside VS Code's extension host (test/e2e/suite) into out/test/e2e/:
// index.js (the main suites) and reattach.js (the second window of the reload test). `vscode` and `mocha` stay
// external: the extension host provides the first, the project's node_modules the second.
import { build } from 'esbuild';

await build({
  entryPoints: { index: 'test/e2e/suite/index.ts', reattach: 'test/e2e/suite/reattach.ts' },
  outdir: 'out/test/e2e',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
