/**
 * The sudo password handshake against a stand-in `sudo` that really prompts (the test machine runs as root, where
 * real sudo never asks): password only after the prompt, stdin only after the command started, wrong passwords
 * end in a clear message instead of a hang.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wrapBecome } from '../../../runtime/connection/become';
import { LocalConnection } from '../../../runtime/connection/local';
import type { RawRunner } from '../../../runtime/connection/raw-exec';

const dir = mkdtempSync(join(tmpdir(), 'ps-fake-sudo-'));
const fakeSudo = join(dir, 'sudo');
writeFileSync(
  fakeSudo,
  `#!/bin/sh
while [ $# -gt 0 ]; do case $1 in -p) prompt=$2; shift 2;; -u) shift 2;; --) shift; break;; *) shift;; esac; done
printf '%s' "$prompt" >&2
IFS= read -r pw || { echo "sudo: no password was provided" >&2; exit 1; }
if [ "$pw" != secret ]; then
  echo "Sorry, try again." >&2
  printf '%s' "$prompt" >&2
  IFS= read -r pw || { echo "sudo: 1 incorrect password attempt" >&2; exit 1; }
  exit 1
fi
exec "$@"
`,
);
chmodSync(fakeSudo, 0o755);

function run(command: string, password: string, stdin?: string) {
  const wrapped = wrapBecome(command, 'someone', password, stdin);
  const runner = (new LocalConnection() as unknown as { run: RawRunner }).run;
  return runner(wrapped.command.replace(/^sudo /, `${fakeSudo} `), wrapped.stdin, undefined, wrapped.handshake).then((raw) => ({
    rc: raw.rc,
    stdout: raw.stdout.toString(),
    stderr: raw.stderr.toString(),
    failure: wrapped.sudoFailure(raw.rc, raw.stderr.toString()),
  }));
}

describe('become password handshake', () => {
  it('answers the prompt, then feeds stdin to the command; the prompt never shows', async () => {
    const result = await run('cat; echo done; echo warn >&2', 'secret', 'line one\nline two\n');
    expect(result).toEqual({ rc: 0, stdout: 'line one\nline two\ndone\n', stderr: 'warn\n', failure: undefined });
  });

  it('a wrong password ends with a clear message, not a hang', async () => {
    const result = await run('echo should-not-run', 'wrong', 'data\n');
    expect(result.rc).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.failure).toBe('Incorrect sudo password for become_user someone.');
    expect(result.stderr).not.toContain('password:');
  });
});
