/**
 * POSIX shell quoting. Every argument that reaches a remote `sh` goes through here: single quotes make the shell
 * treat everything literally (no `$()`, backticks, globbing or word splitting), and the only character that
 * cannot appear inside them, `'`, is closed, escaped and reopened.
 */

/** Characters that never need quoting; keeps generated command lines readable in logs. */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Joins argv into one command line, each argument quoted. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
