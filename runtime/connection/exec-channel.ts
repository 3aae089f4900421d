/**
 * One command on one SSH exec channel: output collection, exit status, stdin, the become handshake, and abort.
 *
 * Abort sends a KILL signal request and, because sshd ignores those on sessions it runs without privilege
 * separation (root logins), also kills the command's process group from a second channel: abortable commands
 * print their process id first (see abortableCommand), which is stripped from stderr.
 */
import type { Client, ClientChannel } from 'ssh2';
import type { BecomeHandshake } from './become';
import { shellQuote } from './quote';
import { abortError, signalExit, type RawResult } from './raw-exec';

/** Wraps a command so its first stderr line is its process (group) id; `exec` keeps that id for the command. */
export function abortableCommand(command: string): string {
  return `printf '%s\\n' "$$" >&2 && exec /bin/sh -c ${shellQuote(command)}`;
}

/**
 * Asks sshd to SIGKILL the command's process group. ssh2's channel.signal() only sends while our side of the
 * channel is writable, and we close stdin right after starting every command, so the request goes out through
 * the protocol object directly (same wire message).
 */
function sendKill(channel: ClientChannel): void {
  const internals = channel as unknown as { outgoing: { id: number; state: string }; _client?: { _protocol?: { signal(id: number, name: string): void } } };
  try {
    if (internals.outgoing.state === 'open' || internals.outgoing.state === 'eof') internals._client?._protocol?.signal(internals.outgoing.id, 'KILL');
  } catch {
    // the channel is already closing
  }
}

/**
 * Opens an exec channel and hands it to `run` synchronously: the command's output and exit status can arrive in
 * the same packet batch as the open confirmation, before any promise continuation would run.
 * An abort while the server has not confirmed the open (a stopped or blackholed host never does) rejects at
 * once; a confirmation that arrives later closes the channel unused.
 */
export function openExecChannel(client: Client, command: string, run: (channel: ClientChannel) => Promise<RawResult>, signal?: AbortSignal): Promise<{ result: Promise<RawResult> }> {
  return new Promise((resolve, reject) => {
    let abandoned = false;
    const onAbort = (): void => {
      abandoned = true;
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      client.exec(command, (error, channel) => {
        signal?.removeEventListener('abort', onAbort);
        if (abandoned) {
          if (!error) channel.close();
          return;
        }
        if (error) reject(error);
        else resolve({ result: run(channel) });
      });
    } catch (error) {
      signal?.removeEventListener('abort', onAbort);
      reject(error as Error);
    }
  });
}

export interface ChannelRun {
stdin?: string | Buffer;
signal?: AbortSignal;
handshake?: BecomeHandshake;
/** the error for a connection that closed before the command reported its exit */
linkLost(): Error;
}

/** Collects a command's output and exit status; writes stdin (or lets the become handshake do it); handles abort. */
export function runExecChannel(client: Client, channel: ClientChannel, run: ChannelRun): Promise<RawResult> {
const { stdin, signal, handshake } = run;
  return new Promise((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    // with a signal, the first stderr line is the remote process group id (see abortableCommand)
    let pidHeader: Buffer | undefined = signal ? Buffer.alloc(0) : undefined;
    let remotePid: number | undefined;
    let exit: { rc: number; signal?: string } | undefined;
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      client.removeListener('close', onLinkClosed);
      if (error) reject(error);
      else if (!exit) reject(run.linkLost());
      else {
        if (handshake) {
          stdout.push(handshake.heldStdout());
          stderr.unshift(handshake.heldStderr());
        }
        resolve({ rc: exit.rc, signal: exit.signal, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr) });
      }
    };
    const onAbort = (): void => {
      sendKill(channel);
      // sshd ignores signal requests on sessions it runs without privilege separation (root logins), so also kill
      // the process group from a fresh channel
      if (remotePid !== undefined) killRemoteGroup(client, remotePid);
      channel.close();
      finish(abortError(signal!));
    };
    const onLinkClosed = (): void => finish(exit ? undefined : run.linkLost());
    signal?.addEventListener('abort', onAbort, { once: true });
    client.setMaxListeners(0);
    client.once('close', onLinkClosed);
    channel.on('data', (chunk: Buffer) => stdout.push(handshake ? handshake.onStdout(chunk) : chunk));
    const keepStderr = (chunk: Buffer): void => void stderr.push(handshake ? handshake.onStderr(chunk) : chunk);
    channel.stderr.on('data', (chunk: Buffer) => {
      if (pidHeader === undefined) return keepStderr(chunk);
      pidHeader = Buffer.concat([pidHeader, chunk]);
      const newline = pidHeader.indexOf(10);
      if (newline < 0) return;
      remotePid = Number(pidHeader.subarray(0, newline).toString('latin1')) || undefined;
      keepStderr(pidHeader.subarray(newline + 1));
      pidHeader = undefined;
    });
    channel.on('exit', (code: number | null, signalName?: string) => {
      if (code !== null && code !== undefined) exit = { rc: code };
      else exit = signalExit(signalName);
    });
    channel.on('close', () => finish());
    channel.on('error', (error: Error) => finish(error));
    if (handshake) handshake.begin({ write: (data) => channel.write(data), end: () => channel.end() });
    else if (stdin !== undefined) channel.end(stdin);
    else channel.end();
  });
}

function killRemoteGroup(client: Client, pid: number): void {
  try {
    client.exec(`kill -KILL -- -${pid} 2>/dev/null || kill -KILL ${pid} 2>/dev/null`, (error, channel) => {
      if (!error) channel.resume().stderr.resume();
    });
  } catch {
    // the link is gone, and with it the session
  }
}

