/**
 * Turns socket, DNS, handshake and authentication failures into the messages users know from Ansible's
 * `UNREACHABLE!` results, which quote OpenSSH: `Failed to connect to the host via ssh: ssh: connect to host
 * 127.0.0.5 port 2201: Connection refused`.
 */
import { UnreachableError } from './types';

export const UNREACHABLE_PREFIX = 'Failed to connect to the host via ssh: ';

export interface ConnectTarget {
  /** the name the user knows (inventory hostname) */
  name: string;
  /** the address or DNS name actually dialled */
  address: string;
  port: number;
  user: string;
}

/** OpenSSH's wording for errno codes a TCP connect can fail with. */
const SOCKET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ECONNRESET: 'Connection reset by peer',
  EADDRNOTAVAIL: 'Cannot assign requested address',
};

export function unreachable(target: ConnectTarget, detail: string): UnreachableError {
  return new UnreachableError(target.name, UNREACHABLE_PREFIX + detail);
}

export function connectTimeoutError(target: ConnectTarget): UnreachableError {
  return unreachable(target, `ssh: connect to host ${target.address} port ${target.port}: Connection timed out`);
}

/** Maps an error emitted by ssh2's Client (or the socket under it) during connect. */
export function describeConnectError(target: ConnectTarget, error: Error & { code?: string; level?: string }, authTried: string[], serverMethods: string[] | undefined): UnreachableError {
  if (error instanceof UnreachableError) return error;
  const code = error.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return unreachable(target, `ssh: Could not resolve hostname ${target.address}: ${code === 'EAI_AGAIN' ? 'Temporary failure in name resolution' : 'Name or service not known'}`);
  }
  if (SOCKET_ERRORS[code]) {
    return unreachable(target, `ssh: connect to host ${target.address} port ${target.port}: ${SOCKET_ERRORS[code]}`);
  }
  if (error.level === 'client-authentication') {
    const methods = serverMethods && serverMethods.length > 0 ? serverMethods.join(',') : 'publickey';
    const tried = authTried.length > 0 ? authTried.join('; ') : 'nothing: no key file, no ssh-agent (SSH_AUTH_SOCK) and no password were available';
    return unreachable(target, `${target.user}@${target.address}: Permission denied (${methods}). Tried: ${tried}.`);
  }
  if (error.level === 'client-timeout') {
    return unreachable(target, `ssh: connect to host ${target.address} port ${target.port}: ${/handshake/i.test(error.message) ? 'Connection timed out during banner exchange' : 'Connection timed out'}`);
  }
  if (/before handshake/i.test(error.message)) {
    return unreachable(target, `kex_exchange_identification: Connection closed by remote host (${target.address} port ${target.port})`);
  }
  return unreachable(target, `ssh: connect to host ${target.address} port ${target.port}: ${error.message}`);
}

/** A command's connection went away under it: the command may or may not have run. */
export function connectionLostError(target: ConnectTarget): UnreachableError {
  return unreachable(target, `Shared connection to ${target.address} closed.`);
}
