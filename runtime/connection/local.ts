/**
 * Commands on the controller itself (`connection: local`, `delegate_to: localhost`, the implicit localhost):
 * `/bin/sh -c COMMAND`, with the same result shape and `become` wrapping as over SSH.
 */
import { spawn } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import type { BecomeHandshake } from './become';
import { abortError, execDecoded, getFileByCat, putFileByCat, signalExit, type RawResult, type RawRunner } from './raw-exec';
import { StreamEvents, type CommandStream } from './stream';
import type { Connection, ExecOptions, ExecResult } from './types';

export class LocalConnection implements Connection {
  constructor(readonly host = 'localhost') {}

  private readonly run: RawRunner = (command, stdin, signal, handshake) => this.runShell(command, stdin, signal, handshake);

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return execDecoded(this.run, command, options);
  }

  async putFile(remotePath: string, content: Buffer | string, mode?: number, options: ExecOptions = {}): Promise<void> {
    if (options.becomeUser !== undefined) return putFileByCat(this.run, this.host, remotePath, content, mode, options);
    await writeFile(remotePath, content);
    if (mode !== undefined) await chmod(remotePath, mode & 0o7777);
  }

  async getFile(remotePath: string, options: ExecOptions = {}): Promise<Buffer> {
    if (options.becomeUser !== undefined) return getFileByCat(this.run, this.host, remotePath, options);
    return readFile(remotePath);
  }

  /** a long-lived /bin/sh with an open stdin; closing it ends stdin and kills its process group */
  async openStream(command: string): Promise<CommandStream> {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'ignore'], detached: true });
    const events = new StreamEvents();
    child.stdin.on('error', () => undefined);
    child.stdout.on('data', (chunk: Buffer) => events.data(chunk));
    child.on('error', (error) => events.close(error.message));
    child.on('close', () => events.close('exited'));
    // a long-lived helper must not keep the controller alive: when it exits, the helper sees EOF and ends too
    child.unref();
    for (const pipe of [child.stdin, child.stdout] as unknown as Array<{ unref?: () => void }>) pipe.unref?.();
    return {
      write: (data) => !events.closed && child.stdin.write(data) !== undefined,
      close: () => {
        if (events.closed) return;
        child.stdin.end();
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
        events.close('closed by us');
      },
      onData: (listener) => events.onData(listener),
      onClose: (listener) => events.onClose(listener),
    };
  }

  async close(): Promise<void> {
    // nothing is held open between commands
  }

  private runShell(command: string, stdin: string | Buffer | undefined, signal: AbortSignal | undefined, handshake: BecomeHandshake | undefined): Promise<RawResult> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      // its own process group, so an abort also stops whatever the command started
      const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let aborted = false;
      const onAbort = (): void => {
        aborted = true;
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.on('data', (chunk: Buffer) => stdout.push(handshake ? handshake.onStdout(chunk) : chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(handshake ? handshake.onStderr(chunk) : chunk));
      // a command that does not read its stdin closes the pipe early; that is not an error
      child.stdin.on('error', () => undefined);
      child.on('error', (error) => {
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      });
      child.on('close', (code, signalName) => {
        signal?.removeEventListener('abort', onAbort);
        if (aborted) return reject(abortError(signal!));
        if (handshake) {
          stdout.push(handshake.heldStdout());
          stderr.unshift(handshake.heldStderr());
        }
        const exit = code !== null ? { rc: code } : signalExit(signalName ?? undefined);
        resolve({ ...exit, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr) });
      });
      if (handshake) handshake.begin({ write: (data) => child.stdin.write(data), end: () => child.stdin.end() });
      else child.stdin.end(stdin);
    });
  }
}
