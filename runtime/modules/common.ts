/** Small helpers every module uses: argument coercion, failure results, remote command building. */
import type { TaskResult } from '../events/types';
import { shellQuote } from '../connection/quote';
import type { ModuleContext } from './types';

export class ModuleArgumentError extends Error {}

export function fail(msg: string, extra: TaskResult = {}): TaskResult {
  return { changed: false, failed: true, msg, ...extra };
}

export function str(args: Record<string, unknown>, name: string): string | undefined {
  const value = args[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function bool(args: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const value = args[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  const text = String(value).trim().toLowerCase();
  if (['yes', 'on', '1', 'true', 't', 'y'].includes(text)) return true;
  if (['no', 'off', '0', 'false', 'f', 'n', ''].includes(text)) return false;
  throw new ModuleArgumentError(`argument '${name}' is of type ${typeof value} and we were unable to convert to bool: The value '${String(value)}' is not a valid boolean.`);
}

export function num(args: Record<string, unknown>, name: string, fallback: number): number {
  const value = args[name];
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new ModuleArgumentError(`argument '${name}' is of type ${typeof value} and we were unable to convert to int: invalid literal for int() with base 10: '${String(value)}'`);
  return n;
}

/** `export K='v'; ...` for the task environment (names are validated: they reach the shell unquoted) */
export function envPrefix(environment: Record<string, string>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(environment)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new ModuleArgumentError(`invalid environment variable name: ${JSON.stringify(key)}`);
    parts.push(`export ${key}=${shellQuote(String(value))};`);
  }
  return parts.length ? parts.join(' ') + ' ' : '';
}

/** `module_args` shown in results under `invocation` (Ansible echoes the module's arguments back) */
export function invocation(context: ModuleContext, defaults: Record<string, unknown> = {}): TaskResult {
  return { module_args: { ...defaults, ...context.args } };
}

/** runs a sh script on the target through the connection, with the task environment exported first */
export async function runScript(context: ModuleContext, script: string, stdin?: string) {
  // always /bin/sh: the remote user's login shell may be anything (zsh, fish, ...)
  return context.connection.exec(`/bin/sh -c ${shellQuote(envPrefix(context.environment) + script)}`, { stdin, signal: context.signal, ...becomeOf(context) });
}

export function becomeOf(context: ModuleContext): { becomeUser?: string; becomePassword?: string } {
  const become = context.vars.ansible_become;
  if (!become || become === 'false' || become === false) return {};
  const user = context.vars.ansible_become_user;
  const password = context.vars.ansible_become_password ?? context.vars.ansible_become_pass;
  return { becomeUser: typeof user === 'string' && user ? user : 'root', becomePassword: typeof password === 'string' ? password : undefined };
}

/**
 * The whole sync path of a module that is one remote script: build it (argument errors become the task's
 * failure), run it, parse the JSON it prints. The same script is what the async wrapper runs.
 */
export async function runRemoteScript(context: ModuleContext, build: (context: ModuleContext) => string): Promise<TaskResult> {
  let script: string;
  try {
    script = build(context);
  } catch (error) {
    return fail((error as Error).message);
  }
  const res = await runScript(context, script);
  return parseScriptResult(res.stdout, res.stderr, res.rc);
}

/** parse the single JSON object a remote script printed, or a failure explaining what came back */
export function parseScriptResult(stdout: string, stderr: string, rc: number): TaskResult {
  const text = stdout.trim();
  const start = text.lastIndexOf('\n{') >= 0 ? text.lastIndexOf('\n{') + 1 : text.indexOf('{');
  if (start >= 0) {
    try {
      return JSON.parse(text.slice(start)) as TaskResult;
    } catch {
      // fall through to the failure below
    }
  }
  return fail('MODULE FAILURE: the remote script did not print a result', { rc, module_stdout: stdout, module_stderr: stderr });
}

/**
 * A path argument as a sh word, expanded the way Ansible's `type: path` options are (`~` and `~/…` become the
 * remote $HOME); the rest stays quoted, so nothing else in it is interpreted by the shell.
 */
export function remotePathWord(path: string): string {
  if (path === '~') return '"$HOME"';
  if (path.startsWith('~/')) return `"$HOME"${shellQuote(path.slice(1))}`;
  return shellQuote(path);
}

/** a remote script that prints one fixed result (argument errors found while building a script) */
export function printResultScript(result: TaskResult): string {
  return `printf '%s\\n' ${shellQuote(JSON.stringify(result))}`;
}
