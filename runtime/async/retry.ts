/**
 * Waiting must survive a dropped link: the job keeps running on the target whatever happens to our connection.
 * Status reads during a wait are retried with backoff (the connection layer reconnects underneath) until the
 * wait's own budget ends; only then does the error reach the caller.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface RetryOptions {
  /** epoch ms after which the last error is thrown */
  deadline: number;
  signal?: AbortSignal;
  /** told about each failed try (for events) */
  onError?: (error: unknown, tries: number, nextDelayMs: number) => void;
}

export async function retryUntilDeadline<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await operation();
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const delay = Math.min(2000, 250 * 2 ** (tries - 1));
      if (Date.now() + delay > options.deadline) throw error;
      options.onError?.(error, tries, delay);
      await sleep(delay, options.signal);
    }
  }
}
