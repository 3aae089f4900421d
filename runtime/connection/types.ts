/**
 * One interface for every way we reach a host. The ssh2 implementation pools one connection per host and
 * multiplexes channels on it; the local implementation runs /bin/sh on the controller (delegate_to: localhost,
 * connection: local).
 */
import type { CommandStream } from './stream';

export type { CommandStream } from './stream';

export interface ExecOptions {
  /** bytes written to the command's stdin, then stdin is closed */
  stdin?: string | Buffer;
  /** abort the command (closes the channel; the remote process gets SIGHUP) */
  signal?: AbortSignal;
  /** sudo to this user (become) */
  becomeUser?: string;
  becomePassword?: string;
}

export interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
  /** set when the remote end died by a signal (rc is then 128 + the signal's number, as a shell reports it) */
  signal?: string;
  /** set when sudo itself refused (missing/incorrect password, unknown user, sudo not installed): a message for the task result */
  becomeFailure?: string;
}

export interface Connection {
  readonly host: string;
  /** run a POSIX sh command line; every argument must already be shell-quoted by the caller (see quote.ts) */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /** writes a file (through `become` when options.becomeUser is set); mode is applied with chmod */
  putFile(remotePath: string, content: Buffer | string, mode?: number, options?: ExecOptions): Promise<void>;
  getFile(remotePath: string, options?: ExecOptions): Promise<Buffer>;
  /**
   * Starts a long-lived command with an open stdin (see stream.ts). Optional: callers fall back to `exec` where
   * a connection cannot hold one open.
   */
  openStream?(command: string): Promise<CommandStream>;
  close(): Promise<void>;
}

/** Raised when a host cannot be reached (Ansible's UNREACHABLE!). */
export class UnreachableError extends Error {
  constructor(
    readonly host: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnreachableError';
  }
}

/** Raised when a host presents a key that differs from known_hosts: never silently accepted. */
export class HostKeyMismatchError extends UnreachableError {
  constructor(
    host: string,
    readonly expectedFingerprints: string[],
    readonly actualFingerprint: string,
  ) {
    super(host, `host key for ${host} has changed: known_hosts has ${expectedFingerprints.join(', ')}, the host presented ${actualFingerprint}. Refusing to connect (possible man-in-the-middle); remove the old key from known_hosts if the change is expected.`);
    this.name = 'HostKeyMismatchError';
  }
}
