/** Runs the built `check` command and returns its exit code and output, failing or not. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cliPath } from '../lsp/client';

const run = promisify(execFile);

export async function check(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliPath, 'check', ...args], { maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
