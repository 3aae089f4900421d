/**
 * command and shell. The synchronous path runs the command in one exec and builds the result on the
 * controller; `remoteScript` does the same work on the target and prints the result JSON (for async jobs).
 * Every argument is shell-quoted: `command` never goes through a shell's expansion.
 */
import type { TaskResult } from '../events/types';
import { shellJoin, shellQuote } from '../connection/quote';
import { ansibleDelta, ansibleTimestamp, splitLines } from '../executor/results';
import { becomeOf, bool, envPrefix, fail, invocation, str } from './common';
import { ShlexError, shlexSplit } from '../text/shlex';
import { SH_JSON_FUNCTIONS } from './sh/json';
import type { ModuleContext, ModuleImplementation } from './types';

/** stderr marker a preamble prints before exiting, so the controller can tell "not run" from a real rc */
const MARK = '\u001fplaybook-studio:';

const COMMAND_DEFAULTS = {
  _uses_shell: false, argv: null, chdir: null, creates: null, executable: null, removes: null,
  stdin: null, stdin_add_newline: true, strip_empty_ends: true,
};

interface Plan {
  /** argv for command; the shell line for shell */
  cmd: string[] | string;
  commandLine: string;
  /** the program checked for existence (command only) */
  program?: string;
  chdir?: string;
  creates?: string;
  removes?: string;
  stdin?: string;
  strip: boolean;
}

function plan(context: ModuleContext, useShell: boolean): Plan | { failure: TaskResult } {
  const args = context.args;
  const raw = str(args, '_raw_params') ?? str(args, 'cmd');
  const stdinArg = str(args, 'stdin');
  const base = {
    chdir: str(args, 'chdir'),
    creates: str(args, 'creates'),
    removes: str(args, 'removes'),
    stdin: stdinArg === undefined ? undefined : stdinArg + (bool(args, 'stdin_add_newline', true) ? '\n' : ''),
    strip: bool(args, 'strip_empty_ends', true),
  };
  if (useShell) {
    if (!raw || raw.trim() === '') return { failure: fail('no command given', { rc: 256 }) };
    const executable = str(args, 'executable') ?? '/bin/sh';
    return { ...base, cmd: raw, commandLine: `${shellQuote(executable)} -c ${shellQuote(raw)}` };
  }
  let argv: string[];
  if (Array.isArray(args.argv)) {
    argv = (args.argv as unknown[]).map((a) => String(a));
  } else {
    if (!raw || raw.trim() === '') return { failure: fail('no command given', { rc: 256 }) };
    try {
      argv = shlexSplit(raw);
    } catch (error) {
      return { failure: fail((error as ShlexError).message, { rc: 256 }) };
    }
  }
  if (argv.length === 0) return { failure: fail('no command given', { rc: 256 }) };
  return { ...base, cmd: argv, commandLine: shellJoin(argv), program: argv[0] };
}

/** sh that checks creates/removes/chdir/program and then execs the command (marker on stderr when not run) */
function preamble(p: Plan): string {
  const parts: string[] = [];
  if (p.chdir) parts.push(`cd ${shellQuote(p.chdir)} 2>/dev/null || { printf '${MARK}chdir\\n' >&2; exit 1; };`);
  if (p.creates) parts.push(`if [ -e ${shellQuote(p.creates)} ]; then printf '${MARK}creates\\n' >&2; exit 0; fi;`);
  if (p.removes) parts.push(`if [ ! -e ${shellQuote(p.removes)} ]; then printf '${MARK}removes\\n' >&2; exit 0; fi;`);
  if (p.program) parts.push(`command -v ${shellQuote(p.program)} >/dev/null 2>&1 || { printf '${MARK}enoent\\n' >&2; exit 127; };`);
  return parts.join(' ');
}

function notRunResult(p: Plan, kind: string, context: ModuleContext, useShell: boolean): TaskResult {
  const inv = invocation(context, { ...COMMAND_DEFAULTS, _uses_shell: useShell });
  switch (kind) {
    case 'creates':
      return { changed: false, cmd: p.cmd, delta: null, end: null, msg: `Did not run command since '${p.creates}' exists`, rc: 0, start: null, stderr: '', stderr_lines: [], stdout: `skipped, since ${p.creates} exists`, stdout_lines: [`skipped, since ${p.creates} exists`], invocation: inv };
    case 'removes':
      return { changed: false, cmd: p.cmd, delta: null, end: null, msg: `Did not run command since '${p.removes}' does not exist`, rc: 0, start: null, stderr: '', stderr_lines: [], stdout: `skipped, since ${p.removes} does not exist`, stdout_lines: [`skipped, since ${p.removes} does not exist`], invocation: inv };
    case 'chdir':
      return { changed: false, failed: true, cmd: p.cmd, msg: `Unable to change directory before execution: [Errno 2] No such file or directory: b'${p.chdir}'`, rc: 1, invocation: inv };
    default:
      return { changed: false, failed: true, cmd: Array.isArray(p.cmd) ? p.cmd.join(' ') : p.cmd, msg: `[Errno 2] No such file or directory: b'${p.program}'`, rc: 2, stderr: '', stderr_lines: [], stdout: '', stdout_lines: [], invocation: inv };
  }
}

function strip(text: string, enabled: boolean): string {
  return enabled ? text.replace(/[\r\n]+$/, '') : text;
}

async function runCommand(context: ModuleContext, useShell: boolean): Promise<TaskResult> {
  const p = plan(context, useShell);
  if ('failure' in p) return p.failure;
  if (context.checkMode && !p.creates && !p.removes) {
    return { changed: false, msg: 'Command would have run if not in check mode', skipped: true, rc: 0, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] };
  }
  const started = new Date();
  const line = `${preamble(p)} exec ${p.commandLine}`;
  // straight to the login shell (sh-compatible, as Ansible assumes too): one shell start instead of two
  const res = await context.connection.exec(envPrefix(context.environment) + line, { stdin: p.stdin, signal: context.signal, ...becomeOf(context) });
  const ended = new Date();
  if (res.stderr.startsWith(MARK)) {
    const kind = res.stderr.slice(MARK.length).split('\n')[0];
    return notRunResult(p, kind, context, useShell);
  }
  const stdout = strip(res.stdout, p.strip);
  const stderr = strip(res.stderr, p.strip);
  const result: TaskResult = {
    changed: true,
    cmd: p.cmd,
    delta: ansibleDelta(ended.getTime() - started.getTime()),
    end: ansibleTimestamp(ended),
    msg: '',
    rc: res.rc,
    start: ansibleTimestamp(started),
    stderr,
    stderr_lines: splitLines(stderr),
    stdout,
    stdout_lines: splitLines(stdout),
    invocation: invocation(context, { ...COMMAND_DEFAULTS, _uses_shell: useShell }),
  };
  if (res.rc !== 0) {
    result.failed = true;
    result.msg = 'non-zero return code';
  }
  return result;
}

/**
 * The same work as one POSIX sh script printing the result JSON (what the async wrapper runs).
 * The job's own stdout/stderr go to temp files that are JSON-escaped afterwards.
 */
function commandScript(context: ModuleContext, useShell: boolean): string {
  const p = plan(context, useShell);
  if ('failure' in p) return `printf '%s\\n' ${shellQuote(JSON.stringify(p.failure))}`;
  const cmdJson = JSON.stringify(p.cmd);
  const inv = JSON.stringify(invocation(context, { ...COMMAND_DEFAULTS, _uses_shell: useShell }));
  const notRun = (kind: string) => shellQuote(JSON.stringify(notRunResult(p, kind, context, useShell)));
  const checks: string[] = [];
  if (p.chdir) checks.push(`cd ${shellQuote(p.chdir)} 2>/dev/null || { printf '%s\\n' ${notRun('chdir')}; exit 0; }`);
  if (p.creates) checks.push(`if [ -e ${shellQuote(p.creates)} ]; then printf '%s\\n' ${notRun('creates')}; exit 0; fi`);
  if (p.removes) checks.push(`if [ ! -e ${shellQuote(p.removes)} ]; then printf '%s\\n' ${notRun('removes')}; exit 0; fi`);
  if (p.program) checks.push(`command -v ${shellQuote(p.program)} >/dev/null 2>&1 || { printf '%s\\n' ${notRun('enoent')}; exit 0; }`);
  const stdinRedirect = p.stdin !== undefined ? `< "$ps_in"` : '< /dev/null';
  return [
    SH_JSON_FUNCTIONS,
    // a job started by a watch stream gets scratch names next to its status file (the stream removes them when
    // the job ends): no mktemp, no rm, two process starts fewer
    'if [ -n "${ps_job_scratch:-}" ]; then ps_in="$ps_job_scratch.in"; ps_out="$ps_job_scratch.o"; ps_err="$ps_job_scratch.e"; else',
    '  ps_tmp=$(mktemp -d "${TMPDIR:-/tmp}/ps-cmd.XXXXXX") || exit 1',
    '  trap \'rm -rf "$ps_tmp"\' EXIT',
    '  ps_in="$ps_tmp/in"; ps_out="$ps_tmp/out"; ps_err="$ps_tmp/err"',
    'fi',
    p.stdin !== undefined ? `printf '%s' ${shellQuote(p.stdin)} > "$ps_in"` : ':',
    ...checks,
    'ps_stamp ps_start',
    `( exec ${p.commandLine} ) ${stdinRedirect} > "$ps_out" 2> "$ps_err"`,
    'ps_rc=$?',
    'ps_stamp ps_end',
    'ps_delta "$ps_start" "$ps_end" ps_d',
    // the command module itself reports "failed" only when it fails (the status file of an async job shows it)
    'if [ "$ps_rc" -eq 0 ]; then ps_failed=; ps_msg=\'""\'; else ps_failed=\'"failed": true, \'; ps_msg=\'"non-zero return code"\'; fi',
    // printed piece by piece rather than through $(...): every command substitution is a fork on the target
    `printf '{"changed": true, %s"cmd": %s, "rc": %s, "start": "%s", "end": "%s", "delta": "%s", "msg": %s, "stdout": ' "$ps_failed" ${shellQuote(cmdJson)} "$ps_rc" "$ps_start" "$ps_end" "$ps_d" "$ps_msg"`,
    'ps_json_file "$ps_out"',
    `printf ', "stderr": '`,
    'ps_json_file "$ps_err"',
    `printf ', "invocation": %s}\\n' ${shellQuote(inv)}`,
  ].join('\n');
}

export const commandModule: ModuleImplementation = {
  name: 'command',
  run: (context) => runCommand(context, false),
  remoteScript: (context) => commandScript(context, false),
};

export const shellModule: ModuleImplementation = {
  name: 'shell',
  run: (context) => runCommand(context, true),
  remoteScript: (context) => commandScript(context, true),
};
