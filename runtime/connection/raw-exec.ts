/**
 * What SSH and local connections share above "run this command line": `become` wrapping, UTF-8 decoding, the
 * signal-to-rc convention, and file transfer as `cat` commands.
 */
import { constants as osConstants } from 'node:os';
import { wrapBecome, type BecomeHandshake } from './become';
import { shellQuote } from './quote';
import type { ExecOptions, ExecResult } from './types';

export interface RawResult {
  rc: number;
  stdout: Buffer;
  stderr: Buffer;
  signal?: string;
}

/** Runs a command line; the handshake (become with a password) decides when stdin is written. */
export type RawRunner = (command: string, stdin: string | Buffer | undefined, signal: AbortSignal | undefined, handshake: BecomeHandshake | undefined) => Promise<RawResult>;

/** A command killed by a signal reports like a shell's `$?`: 128 + the signal's number. */
export function signalExit(signalName: string | undefined): { rc: number; signal: string } {
  const name = (signalName ?? 'SIGKILL').replace(/^SIG/, '');
  const number = (osConstants.signals as Record<string, number>)[`SIG${name}`] ?? 0;
  return { rc: 128 + number, signal: name };
}

export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error('The command was aborted');
  error.name = 'AbortError';
  return error;
}

async function runRaw(run: RawRunner, command: string, options: ExecOptions): Promise<{ raw: RawResult; becomeFailure?: string }> {
  if (options.becomeUser === undefined) return { raw: await run(command, options.stdin, options.signal, undefined) };
  const become = wrapBecome(command, options.becomeUser, options.becomePassword, options.stdin);
  const raw = await run(become.command, become.stdin, options.signal, become.handshake);
  return { raw, becomeFailure: become.sudoFailure(raw.rc, raw.stderr.toString('utf8')) };
}

export async function execDecoded(run: RawRunner, command: string, options: ExecOptions = {}): Promise<ExecResult> {
  const { raw, becomeFailure } = await runRaw(run, command, options);
  const result: ExecResult = { rc: raw.rc, stdout: raw.stdout.toString('utf8'), stderr: raw.stderr.toString('utf8') };
  if (raw.signal !== undefined) result.signal = raw.signal;
  if (becomeFailure) result.becomeFailure = becomeFailure;
  return result;
}

export async function putFileByCat(run: RawRunner, host: string, remotePath: string, content: Buffer | string, mode: number | undefined, options: ExecOptions = {}): Promise<void> {
  const path = shellQuote(remotePath);
  const chmod = mode === undefined ? '' : ` && chmod ${(mode & 0o7777).toString(8)} ${path}`;
  const { raw, becomeFailure } = await runRaw(run, `cat > ${path}${chmod}`, { ...options, stdin: content });
  if (raw.rc !== 0) throw new Error(`cannot write ${remotePath} on ${host}: ${(becomeFailure ?? raw.stderr.toString('utf8').trim()) || `rc ${raw.rc}`}`);
}

export async function getFileByCat(run: RawRunner, host: string, remotePath: string, options: ExecOptions = {}): Promise<Buffer> {
  const { raw, becomeFailure } = await runRaw(run, `cat ${shellQuote(remotePath)}`, options);
  if (raw.rc !== 0) throw new Error(`cannot read ${remotePath} on ${host}: ${(becomeFailure ?? raw.stderr.toString('utf8').trim()) || `rc ${raw.rc}`}`);
  return raw.stdout;
}
