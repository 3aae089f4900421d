/**
 * Caps concurrent channels on one SSH connection. OpenSSH's MaxSessions (10 by default) refuses channel opens
 * beyond its limit; we start at a cap and, when the server refuses an open while others are running, lower the
 * cap to what the server accepted and queue the rest instead of failing the command.
 */
export class ChannelLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private cap: number) {}

  get limit(): number {
    return this.cap;
  }

  get inUse(): number {
    return this.active;
  }

  /** Waits for a slot; an abort while queued leaves the queue and rejects with `onAbort()`. */
  async acquire(signal?: AbortSignal, onAbort?: () => Error): Promise<void> {
    if (this.active < this.cap) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const entry = (): void => {
        signal?.removeEventListener('abort', abandon);
        resolve();
      };
      const abandon = (): void => {
        const index = this.waiting.indexOf(entry);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(onAbort ? onAbort() : new Error('aborted'));
      };
      this.waiting.push(entry);
      signal?.addEventListener('abort', abandon, { once: true });
    });
  }

  release(): void {
    const next = this.waiting.shift();
    // the slot passes straight to the next waiter, so `active` stays unchanged
    if (next && this.active <= this.cap) next();
    else {
      if (next) this.waiting.unshift(next);
      this.active--;
    }
  }

  /** The server refused an open while `othersRunning` channels were open: that is its real limit. */
  learnServerLimit(othersRunning: number): void {
    this.cap = Math.max(1, Math.min(this.cap, othersRunning));
  }
}
