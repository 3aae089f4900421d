/**
 * Maps a host's (already templated) variables to a connection, with Ansible's variable names:
 * ansible_connection (ssh | local), ansible_host, ansible_port, ansible_user, ansible_ssh_private_key_file,
 * ansible_password, ansible_timeout, and the become settings a task uses.
 */
import type { ConnectionPool } from './ssh';
import { LocalConnection } from './local';
import type { SshOptions } from './ssh-options';
import type { Connection } from './types';

export type HostVarsLike = Record<string, unknown>;

function first(vars: HostVarsLike, names: string[]): unknown {
  for (const name of names) if (vars[name] !== undefined && vars[name] !== null) return vars[name];
  return undefined;
}

function asString(value: unknown): string | undefined {
  return value === undefined ? undefined : String(value);
}

export class ConnectionVarsError extends Error {
  constructor(
    readonly host: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectionVarsError';
  }
}

/** `ssh` or `local`; anything else is refused with a message naming the host and the value. */
export function connectionType(inventoryName: string, vars: HostVarsLike): 'ssh' | 'local' {
  const value = asString(first(vars, ['ansible_connection'])) ?? 'ssh';
  if (value === 'ssh' || value === 'smart' || value === 'paramiko' || value === 'paramiko_ssh') return 'ssh';
  if (value === 'local') return 'local';
  throw new ConnectionVarsError(inventoryName, `${inventoryName}: ansible_connection "${value}" is not supported by the bundled runtime (supported: ssh, local); use --engine ansible for it`);
}

export function sshOptionsFromVars(inventoryName: string, vars: HostVarsLike): SshOptions {
  const options: SshOptions = { name: inventoryName, host: asString(first(vars, ['ansible_host', 'ansible_ssh_host'])) ?? inventoryName };
  const port = first(vars, ['ansible_port', 'ansible_ssh_port']);
  if (port !== undefined) {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new ConnectionVarsError(inventoryName, `${inventoryName}: ansible_port "${String(port)}" is not a port number`);
    options.port = n;
  }
  const user = asString(first(vars, ['ansible_user', 'ansible_ssh_user']));
  if (user !== undefined) options.user = user;
  const key = asString(first(vars, ['ansible_ssh_private_key_file', 'ansible_private_key_file']));
  if (key !== undefined) options.keyFiles = [key];
  const password = asString(first(vars, ['ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password']));
  if (password !== undefined) options.password = password;
  const timeout = first(vars, ['ansible_timeout', 'ansible_ssh_timeout']);
  if (timeout !== undefined && Number(timeout) > 0) options.connectTimeoutMs = Number(timeout) * 1000;
  const checking = first(vars, ['ansible_host_key_checking', 'ansible_ssh_host_key_checking']);
  // host_key_checking=False accepts unknown keys; a changed key is still refused (never silently trusted)
  if (checking !== undefined) options.hostKeyPolicy = isFalse(checking) ? 'accept-new' : 'strict';
  for (const name of ['ansible_ssh_common_args', 'ansible_ssh_extra_args']) {
    const args = asString(vars[name] ?? undefined);
    if (args) applySshArgs(inventoryName, name, args, options);
  }
  return options;
}

function isFalse(value: unknown): boolean {
  return value === false || value === 0 || (typeof value === 'string' && /^(false|no|off|n|0)$/i.test(value.trim()));
}

/** Splits an OpenSSH argument string the way a shell would (quotes, backslashes). */
function splitArgs(text: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] ?? m[3]);
  return words;
}

/**
 * The OpenSSH options of ansible_ssh_common_args/extra_args that we can honour (-J, -p, -l, -i, -o ProxyJump,
 * Port, User, IdentityFile, StrictHostKeyChecking, UserKnownHostsFile). ProxyCommand cannot be honoured without
 * running a local command: refused clearly rather than silently connecting directly.
 */
function applySshArgs(host: string, varName: string, text: string, options: SshOptions): void {
  const args = splitArgs(text);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const next = (): string => {
      const value = args[++i];
      if (value === undefined) throw new ConnectionVarsError(host, `${host}: ${varName}: ${arg} needs a value`);
      return value;
    };
    if (arg === '-J') options.proxyJump = next();
    else if (arg === '-p') options.port = Number(next());
    else if (arg === '-l') options.user = next();
    else if (arg === '-i') options.keyFiles = [...(options.keyFiles ?? []), next()];
    else if (arg === '-o' || arg.startsWith('-o')) {
      const option = arg === '-o' ? next() : arg.slice(2);
      const match = /^\s*(\w+)\s*[=\s]\s*(.*)$/.exec(option);
      if (!match) continue;
      const [, key, value] = match;
      switch (key.toLowerCase()) {
        case 'proxyjump':
          options.proxyJump = value;
          break;
        case 'proxycommand':
          throw new ConnectionVarsError(host, `${host}: ${varName} sets ProxyCommand, which the bundled runtime does not run; use ProxyJump (-J) or --engine ansible`);
        case 'port':
          options.port = Number(value);
          break;
        case 'user':
          options.user = value;
          break;
        case 'identityfile':
          options.keyFiles = [...(options.keyFiles ?? []), value];
          break;
        case 'stricthostkeychecking':
          options.hostKeyPolicy = /^(yes|true)$/i.test(value) ? 'strict' : 'accept-new';
          break;
        case 'userknownhostsfile':
          options.knownHostsFiles = value.split(/\s+/).filter((f) => f !== '');
          break;
      }
    }
  }
}

/** The connection for a host: local, or the pooled SSH connection. */
export function connectionFromVars(inventoryName: string, vars: HostVarsLike, pool: ConnectionPool): Connection {
  if (connectionType(inventoryName, vars) === 'local') return new LocalConnection(inventoryName);
  return pool.get(sshOptionsFromVars(inventoryName, vars));
}

export interface BecomeSettings {
  becomeUser: string;
  becomePassword?: string;
}

/** Become settings from vars (ansible_become, ansible_become_user, ansible_become_password), or undefined. */
export function becomeFromVars(vars: HostVarsLike): BecomeSettings | undefined {
  const become = first(vars, ['ansible_become']);
  if (!(become === true || become === 'true' || become === 'yes' || become === 1 || become === 'True')) return undefined;
  const method = asString(first(vars, ['ansible_become_method'])) ?? 'sudo';
  if (method !== 'sudo') throw new ConnectionVarsError('', `ansible_become_method "${method}" is not supported by the bundled runtime (only sudo)`);
  const settings: BecomeSettings = { becomeUser: asString(first(vars, ['ansible_become_user'])) ?? 'root' };
  const password = asString(first(vars, ['ansible_become_password', 'ansible_become_pass']));
  if (password !== undefined) settings.becomePassword = password;
  return settings;
}
