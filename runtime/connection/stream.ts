/**
 * A long-lived command with an open stdin: the caller writes lines to it and reads its output as it comes,
 * for as long as both want. Used by the async watcher (one per host and async dir) so that watching a job costs
 * a line on an open channel rather than a new SSH exec.
 */
export interface CommandStream {
  /** writes to the command's stdin; false once the stream has closed */
  write(data: string): boolean;
  /** closes stdin and the channel; the command sees EOF and exits */
  close(): void;
  /** every stdout chunk as it arrives (bytes: a reply may count its length in bytes) */
  onData(listener: (chunk: Buffer) => void): void;
  /** once, when the command exited or the link dropped */
  onClose(listener: (reason: string) => void): void;
}

/** Shared plumbing for implementations: listeners, idempotent close notification. */
export class StreamEvents {
  private readonly dataListeners: Array<(chunk: Buffer) => void> = [];
  private readonly closeListeners: Array<(reason: string) => void> = [];
  closed = false;

  onData(listener: (chunk: Buffer) => void): void {
    this.dataListeners.push(listener);
  }

  onClose(listener: (reason: string) => void): void {
    if (this.closed) listener('closed');
    else this.closeListeners.push(listener);
  }

  data(chunk: Buffer): void {
    for (const listener of this.dataListeners) listener(chunk);
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners.splice(0)) listener(reason);
  }
}
