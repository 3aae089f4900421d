/**
 * Instant joins: one long-poll exec per (connection, async dir) at a time, shared by every job waiting there.
 * It carries each waiting job's last-read signature (the first line of its status file) and the target compares
 * them every 100 ms, returning the moment one differs, so a finished job is noticed within ~100 ms plus one
 * round trip, at the cost of one exec per change rather than one per job per poll. Everything else (attempt
 * counting, budgets, messages) stays with the caller: a wake only shortens a sleep.
 */
import type { Connection } from '../connection/types';
import { shCommand, watchScript } from './remote-scripts';

interface Waiter {
  jid: string;
  baseline: string;
  resolve: (woke: boolean) => void;
}

/** jids the watcher can pass through the remote loop; anything else is waited out with a plain sleep */
const WATCHABLE = /^[A-Za-z0-9._-]+$/;
const LONG_POLL_ITERATIONS = 300; // 30 s per exec when nothing changes
const IDLE_STOP_MS = 1000;

export class DirWatcher {
  private readonly waiters = new Set<Waiter>();
  private inflight?: { controller: AbortController; keys: Set<string> };
  private looping = false;
  private stopped = false;
  private failures = 0;
  private idleTimer?: NodeJS.Timeout;

  constructor(
    readonly connection: Connection,
    readonly asyncDir: string,
  ) {}

  /**
   * Resolves true as soon as the status file of `jid` differs from `baseline` (the signature read with it;
   * undefined when it was missing), false after `seconds`. Never rejects: if watching fails the wait runs its full
   * length, exactly Ansible's sleep.
   */
  waitForChange(jid: string, baseline: string | undefined, seconds: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => waiter.resolve(false);
      const waiter: Waiter = {
        jid,
        baseline: baseline ?? '-',
        resolve: (woke) => {
          if (!this.waiters.delete(waiter)) return;
          if (timer) clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          if (this.waiters.size === 0) this.scheduleIdleStop();
          resolve(woke);
        },
      };
      this.waiters.add(waiter);
      timer = setTimeout(() => waiter.resolve(false), Math.max(0, seconds * 1000));
      signal?.addEventListener('abort', onAbort, { once: true });
      if (!WATCHABLE.test(jid) || this.stopped) return;
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
      // a long-poll that does not know this job cannot wake it: replace it with one that does
      if (this.inflight && !this.inflight.keys.has(keyOf(waiter))) this.inflight.controller.abort();
      this.ensureLooping();
    });
  }

  /** Stops watching; waiters fall back to their timers. */
  stop(): void {
    this.stopped = true;
    this.inflight?.controller.abort();
    if (this.idleTimer) clearTimeout(this.idleTimer);
  }

  private scheduleIdleStop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.waiters.size === 0) this.inflight?.controller.abort();
    }, IDLE_STOP_MS);
    this.idleTimer.unref?.();
  }

  private watched(): Waiter[] {
    return [...this.waiters].filter((w) => WATCHABLE.test(w.jid));
  }

  private ensureLooping(): void {
    if (this.looping || this.stopped) return;
    this.looping = true;
    // let waiters registering in the same tick share the first exec
    setImmediate(() => void this.loop());
  }

  private async loop(): Promise<void> {
    try {
      for (let waiting = this.watched(); waiting.length > 0 && !this.stopped; waiting = this.watched()) {
        const byJid = new Map<string, string>();
        for (const w of waiting) if (!byJid.has(w.jid)) byJid.set(w.jid, w.baseline);
        // two waiters on one jid with different baselines (rare): the first is sent, the other keeps its timer
        const controller = new AbortController();
        this.inflight = { controller, keys: new Set(waiting.map(keyOf)) };
        const stdin = [...byJid].map(([jid, sig]) => `${jid} ${sig}`).join('\n') + '\n';
        try {
          const executed = await this.connection.exec(shCommand(watchScript(), [this.asyncDir, LONG_POLL_ITERATIONS]), {
            stdin,
            signal: controller.signal,
          });
          const at = executed.stdout.indexOf('\nCURRENT\n');
          if (executed.rc !== 0 || at < 0) throw new Error(executed.stderr.trim() || `watcher exited with rc ${executed.rc}`);
          this.failures = 0;
          const changed = new Set(executed.stdout.slice(at + '\nCURRENT\n'.length).split('\n').filter(Boolean));
          for (const w of this.watched()) if (changed.has(w.jid) && byJid.get(w.jid) === w.baseline) w.resolve(true);
        } catch {
          if (this.stopped || controller.signal.aborted) continue;
          // the link dropped or a channel was refused: back off; the waiters' timers keep their budgets
          this.failures++;
          await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * 2 ** this.failures)));
        } finally {
          this.inflight = undefined;
        }
      }
    } finally {
      this.looping = false;
    }
  }
}

function keyOf(waiter: Waiter): string {
  return `${waiter.jid} ${waiter.baseline}`;
}

/** One watcher per connection and async dir, created on first use. */
const watchers = new WeakMap<Connection, Map<string, DirWatcher>>();

export function watcherFor(connection: Connection, asyncDir: string): DirWatcher {
  let byDir = watchers.get(connection);
  if (!byDir) {
    byDir = new Map();
    watchers.set(connection, byDir);
  }
  let watcher = byDir.get(asyncDir);
  if (!watcher) {
    watcher = new DirWatcher(connection, asyncDir);
    byDir.set(asyncDir, watcher);
  }
  return watcher;
}

/** Stops every watcher on a connection (call before closing it). */
export function stopWatchers(connection: Connection): void {
  for (const watcher of watchers.get(connection)?.values() ?? []) watcher.stop();
  watchers.delete(connection);
}
