/**
 * What an SSH connection needs, and how the user's inputs combine: explicit options (from inventory vars such as
 * ansible_host/ansible_port/ansible_user/ansible_ssh_private_key_file) win over `~/.ssh/config`, which wins over
 * defaults, the same order as Ansible passing `-o User=... -p ...` to OpenSSH.
 */
import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { PassphrasePrompt } from './auth';
import type { HostKeyPolicy, HostKeyPrompt } from './known-hosts';
import { defaultSshConfigPath, readSshConfig } from './ssh-config';

export interface SshOptions {
  /** name shown in messages (the inventory hostname); defaults to `host` */
  name?: string;
  /** address or DNS name to connect to (ansible_host); `~/.ssh/config` Host blocks match against it */
  host: string;
  port?: number;
  user?: string;
  /** private key files tried in order (ansible_ssh_private_key_file, then config IdentityFile) */
  keyFiles?: string[];
  /** also try ~/.ssh/id_ed25519, id_ecdsa, id_rsa when they exist (OpenSSH does); default true */
  defaultKeyFiles?: boolean;
  privateKey?: string | Buffer;
  passphrase?: string;
  passphrasePrompt?: PassphrasePrompt;
  password?: string;
  /** ssh-agent socket; default SSH_AUTH_SOCK; false disables the agent */
  agent?: string | false;
  /** known_hosts files; the first receives accepted keys. Default ~/.ssh/known_hosts, /etc/ssh/ssh_known_hosts */
  knownHostsFiles?: string[];
  hostKeyPolicy?: HostKeyPolicy;
  hostKeyPrompt?: HostKeyPrompt;
  /** OpenSSH client config file; default ~/.ssh/config; false ignores it */
  sshConfigFile?: string | false;
  /** ProxyJump `[user@]host[:port][,...]`, overrides the config's */
  proxyJump?: string;
  /** TCP connect + SSH handshake limit (Ansible's default timeout is 10 s) */
  connectTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** concurrent channels per connection before commands queue (OpenSSH MaxSessions defaults to 10) */
  maxChannels?: number;
  /** after a drop, how long a command keeps retrying the connect before the host is unreachable */
  reconnectDeadlineMs?: number;
}

export interface ResolvedSshOptions extends Omit<SshOptions, 'port' | 'user' | 'keyFiles' | 'agent' | 'knownHostsFiles'> {
  name: string;
  /** the address dialled (after HostName) */
  address: string;
  port: number;
  user: string;
  keyFiles: string[];
  agent?: string;
  knownHostsFiles: string[];
  proxyJump?: string;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export function resolveSshOptions(options: SshOptions): ResolvedSshOptions {
  const configPath = options.sshConfigFile === undefined ? defaultSshConfigPath() : options.sshConfigFile;
  const config = configPath === false ? { identityFiles: [] } : readSshConfig(configPath, options.host);
  const keyFiles = [...(options.keyFiles ?? []), ...config.identityFiles];
  if (options.defaultKeyFiles !== false) {
    for (const name of DEFAULT_KEYS) {
      const path = join(homedir(), '.ssh', name);
      if (existsSync(path)) keyFiles.push(path);
    }
  }
  const agent = options.agent === false ? undefined : (options.agent ?? process.env.SSH_AUTH_SOCK) || undefined;
  return {
    ...options,
    name: options.name ?? options.host,
    address: config.hostName ?? options.host,
    port: options.port ?? config.port ?? 22,
    user: options.user ?? config.user ?? userInfo().username,
    keyFiles: [...new Set(keyFiles)],
    agent,
    // as OpenSSH: the user's file (where new keys go) and the system-wide one
    knownHostsFiles: options.knownHostsFiles ?? config.knownHostsFiles ?? [join(homedir(), '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'],
    hostKeyPolicy: options.hostKeyPolicy ?? config.strictHostKeyChecking,
    proxyJump: options.proxyJump ?? config.proxyJump,
  };
}

/**
 * Connections are shared per inventory host and endpoint: the same name, user, endpoint and credentials. The name is
 * part of the key so messages always name the host the user asked for.
 */
export function poolKey(options: ResolvedSshOptions): string {
  return JSON.stringify([options.name, options.address, options.port, options.user, options.keyFiles, options.proxyJump ?? '', options.password !== undefined, options.knownHostsFiles]);
}
