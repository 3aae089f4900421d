/**
 * The controller's end of the persistent watcher (see watchStreamCommand): one open channel per connection and
 * async dir, told which jobs to watch on its stdin, answering "CHANGED <jid>" as each status file changes. It
 * knows nothing about waiters; DirWatcher maps its answers to them. Reopened by DirWatcher when it closes.
 */
import type { CommandStream, Connection } from '../connection/types';
import { wrapBecome } from '../connection/become';
import { watchStreamCommand } from './stream-script';

/** how long a job start waits for the stream's answer */
const START_ANSWER_MS = 60_000;

export type StreamState = 'opening' | 'ready' | 'unsupported' | 'closed';

export interface StreamHandlers {
  onReady(): void;
  onChanged(jid: string): void;
  /** the stream ended (link dropped, channel refused, closed); `supported` is false when the target cannot run it (no bash >= 4) */
  onClosed(supported: boolean, reason: string): void;
}

export class WatchStream {
  state: StreamState = 'opening';
  /** it answered READY at some point (a stream that never did is a failure to start, not a dropped link) */
  wasReady = false;
  /** what the remote end is watching now: jid → signature */
  private readonly sent = new Map<string, string>();
  private stream?: CommandStream;
  private buffer: Buffer = Buffer.alloc(0);
  /** a REPLY header was read: its id and how many payload bytes follow */
  private replyHeader?: { id: number; bytes: number };
  private nextReadId = 1;
  private readonly reads = new Map<number, { resolve: (output: string) => void; reject: (error: Error) => void }>();

  constructor(
    connection: Connection & { openStream(command: string): Promise<CommandStream> },
    asyncDir: string,
    /** sudo (without a password: -n) to this user first */
    becomeUser: string | undefined,
    private readonly handlers: StreamHandlers,
  ) {
    const command = watchStreamCommand(asyncDir);
    connection.openStream(becomeUser === undefined ? command : wrapBecome(command, becomeUser, undefined, undefined).command).then(
      (stream) => this.attach(stream),
      (error: Error) => this.end(true, error.message),
    );
  }

  /** watches `jid` against `signature` (re-sent only when it differs from what the remote has) */
  watch(jid: string, signature: string): void {
    if (this.state !== 'ready' || this.sent.get(jid) === signature) return;
    this.sent.set(jid, signature);
    this.stream?.write(`W ${jid} ${signature}\n`);
  }

  unwatch(jid: string): void {
    if (this.state !== 'ready' || !this.sent.delete(jid)) return;
    this.stream?.write(`U ${jid}\n`);
  }

  /**
   * Reads (or, in cleanup mode, removes) a status file through the stream: statusScript's output, without an
   * exec. Rejects if the stream is not ready or closes first; callers fall back to an exec.
   */
  read(jid: string, mode: 'status' | 'cleanup'): Promise<string> {
    if (this.state !== 'ready' || !this.stream) return Promise.reject(new Error('watch stream not ready'));
    const id = this.nextReadId++;
    return new Promise((resolve, reject) => {
      this.reads.set(id, { resolve, reject });
      if (!this.stream!.write(`R ${id} ${mode} ${jid}\n`)) {
        this.reads.delete(id);
        reject(new Error('watch stream closed'));
      }
    });
  }

  /**
   * Starts a job in the stream's shell (see watchStreamScript's "J"): no new SSH session and no new shell, the
   * most expensive things an exec launch does. `head` is the job's first line (jid prefix, watchdog limit, the
   * started/finished/failed values); resolves with the launcher-shaped answer. Rejects if the stream is not ready
   * or closes first: whether the job started is then unknown.
   */
  async startJob(head: string, script: string): Promise<{ rc: number; stdout: string }> {
    if (this.state !== 'ready' || !this.stream) throw new Error('watch stream not ready');
    const id = this.nextReadId++;
    const body = `${head}\n${script}`;
    const payload = await new Promise<string>((resolve, reject) => {
      // a target too busy to answer in this long is reported, never waited on forever
      const timer = setTimeout(() => {
        this.reads.delete(id);
        reject(new Error(`no answer within ${START_ANSWER_MS / 1000} s`));
      }, START_ANSWER_MS);
      const settle = { resolve: (text: string) => (clearTimeout(timer), resolve(text)), reject: (error: Error) => (clearTimeout(timer), reject(error)) };
      this.reads.set(id, settle);
      if (!this.stream!.write(`J ${id} ${Buffer.byteLength(body)}\n${body}`)) {
        this.reads.delete(id);
        settle.reject(new Error('watch stream closed'));
      }
    });
    const newline = payload.indexOf('\n');
    return { rc: Number(payload.slice(0, newline < 0 ? undefined : newline)), stdout: newline < 0 ? '' : payload.slice(newline + 1) + '\n' };
  }

  /** the signature the remote compared against when it reported `jid` changed */
  sentSignature(jid: string): string | undefined {
    return this.sent.get(jid);
  }

  close(): void {
    this.stream?.close();
    this.end(true, 'closed');
  }

  private attach(stream: CommandStream): void {
    if (this.state === 'closed') return stream.close();
    this.stream = stream;
    stream.onData((text) => this.receive(text));
    stream.onClose((reason) => this.end(true, reason));
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (this.replyHeader) {
        if (this.buffer.length < this.replyHeader.bytes) return;
        const payload = this.buffer.subarray(0, this.replyHeader.bytes).toString('utf8');
        this.buffer = this.buffer.subarray(this.replyHeader.bytes);
        const pending = this.reads.get(this.replyHeader.id);
        this.reads.delete(this.replyHeader.id);
        this.replyHeader = undefined;
        pending?.resolve(payload);
        continue;
      }
      const newline = this.buffer.indexOf(10);
      if (newline < 0) return;
      const line = this.buffer.subarray(0, newline).toString('utf8');
      this.buffer = this.buffer.subarray(newline + 1);
      const reply = /^REPLY (\d+) (\d+)$/.exec(line);
      if (reply) {
        this.replyHeader = { id: Number(reply[1]), bytes: Number(reply[2]) };
      } else if (line === 'READY' && this.state === 'opening') {
        this.state = 'ready';
        this.wasReady = true;
        this.handlers.onReady();
      } else if (line === 'NOBASH') {
        this.stream?.close();
        this.end(false, 'no bash >= 4 on the target');
      } else if (line.startsWith('CHANGED ')) {
        const jid = line.slice('CHANGED '.length);
        // the remote stopped watching it; the handler reads the signature it compared against first
        this.handlers.onChanged(jid);
        this.sent.delete(jid);
      }
    }
  }

  private end(supported: boolean, reason: string): void {
    if (this.state === 'closed' || this.state === 'unsupported') return;
    this.state = supported ? 'closed' : 'unsupported';
    this.sent.clear();
    for (const pending of this.reads.values()) pending.reject(new Error(`watch stream closed: ${reason}`));
    this.reads.clear();
    this.handlers.onClosed(supported, reason);
  }
}
