/**
 * What `jobs attach` needs to reach a job's host again after the controller restarted: address, port, user and
 * key/known_hosts paths. Never secrets (no passwords, no passphrases, no key material).
 */
import type { Connection } from '../connection/types';

export interface JobTarget {
  address: string;
  port: number;
  user: string;
  privateKeyPath?: string;
  knownHostsPath?: string;
}

/** Reads the reconnect facts from an SshConnection (duck-typed: other connections have none). */
export function targetOf(connection: Connection): JobTarget | undefined {
  const options = (connection as { options?: { address?: unknown; port?: unknown; user?: unknown; keyFiles?: unknown; knownHostsFiles?: unknown } }).options;
  if (!options || typeof options.address !== 'string' || typeof options.port !== 'number' || typeof options.user !== 'string') return undefined;
  const keys = Array.isArray(options.keyFiles) ? options.keyFiles.filter((k): k is string => typeof k === 'string') : [];
  const knownHosts = Array.isArray(options.knownHostsFiles) ? options.knownHostsFiles.filter((k): k is string => typeof k === 'string') : [];
  return { address: options.address, port: options.port, user: options.user, privateKeyPath: keys[0], knownHostsPath: knownHosts[0] };
}

/** true for the controller itself (LocalConnection): attach can reach it without SSH */
export function isLocal(connection: Connection): boolean {
  return connection.constructor?.name === 'LocalConnection';
}
