/** Bundles the CLI once per test file into a temp dir (always the current sources, no `npm run build` needed). */
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { tempDir } from './helpers';

const root = resolve(__dirname, '..', '..', '..');

export async function buildCli(): Promise<string> {
  const outfile = join(tempDir('ps-cli-'), 'cli.js');
  await build({
    entryPoints: [join(root, 'cli', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
    external: ['vscode', 'cpu-features', '*.node'],
  });
  return outfile;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(cli: string, args: string[], options: { stdin?: string; cwd?: string; onStdoutLine?: (line: string, write: (s: string) => void, signal: (name: NodeJS.Signals) => void) => void } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!options.onStdoutLine) return;
      pending += chunk.toString();
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        options.onStdoutLine(line, (s) => child.stdin.write(s), (name) => child.kill(name));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    else if (!options.onStdoutLine) child.stdin.end();
  });
}
