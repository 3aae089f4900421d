/**
 * Instant joins: one watcher per (connection, async dir), shared by every job waiting there. Each waiting job
 * is watched against its last-read signature (the first line of its status file); the target compares every
 * 100 ms and says the moment one differs, so a finished job is noticed within ~100 ms plus one round trip.
 *
 * The watcher is a persistent channel (WatchStream) told "watch"/"unwatch" on its stdin: watching a job costs a
 * line, not an exec, and waiting costs the target no fork. It is opened on the first wait, closed when nobody
 * has waited for a while, and reopened with backoff if it dies. Targets without bash, and connections that
 * cannot hold a stream open, use a long-poll exec instead (one exec per change). Everything else (attempt
 * counting, budgets, messages) stays with the caller: a wake only shortens a sleep.
 */
import type { CommandStream, Connection } from '../connection/types';
import { shCommand, watchScript } from './remote-scripts';
import type { JobBecome } from './status';
import { WatchStream } from './watch-stream';

interface Waiter {
  jid: string;
  baseline: string;
  resolve: (woke: boolean) => void;
}

/** jids the watcher can pass through the remote loop; anything else is waited out with a plain sleep */
const WATCHABLE = /^[A-Za-z0-9._-]+$/;
const LONG_POLL_ITERATIONS = 300; // 30 s per exec when nothing changes
const IDLE_STOP_MS = 1000;
/** a stream is kept this long after its last waiter left: the next until-retry usually waits again at once */
const STREAM_IDLE_MS = 3000;
/** a launch waits this long for a stream being opened before it execs the launcher instead */
const STREAM_OPEN_WAIT_MS = 10_000;
/** signatures longer than this are not sent down the stream (the waiter keeps its plain timer) */
const MAX_SIGNATURE = 8192;

type StreamCapable = Connection & { openStream(command: string): Promise<CommandStream> };

export class DirWatcher {
  private readonly waiters = new Set<Waiter>();
  private inflight?: { controller: AbortController; keys: Set<string> };
  private looping = false;
  private stopped = false;
  private failures = 0;
  private idleTimer?: NodeJS.Timeout;
  /** 'stream' until the target proves it cannot run one */
  private mode: 'stream' | 'long-poll';
  private stream?: WatchStream;
  private streamFailures = 0;
  private reopenTimer?: NodeJS.Timeout;
  /** launches waiting for the stream being opened: given it when READY, undefined when it closes first */
  private readonly readyWaiters: Array<(stream: WatchStream | undefined) => void> = [];
  /** launches waiting for or using the stream: it is not idle while there are any */
  private launching = 0;

  constructor(
    readonly connection: Connection,
    readonly asyncDir: string,
    /** jobs run under become are watched as that user (their async dir); a sudo password rules out the stream */
    readonly become?: JobBecome,
  ) {
    this.mode = typeof connection.openStream === 'function' && become?.becomePassword === undefined ? 'stream' : 'long-poll';
  }

  /** which mechanism watches now (tests and diagnostics) */
  get mechanism(): 'stream' | 'long-poll' {
    return this.mode;
  }

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
          if (this.mode === 'stream') this.streamSync(jid);
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
      if (this.mode === 'stream') return this.streamSync(jid);
      // a long-poll that does not know this job cannot wake it: replace it with one that does
      if (this.inflight && !this.inflight.keys.has(keyOf(waiter))) this.inflight.controller.abort();
      this.ensureLooping();
    });
  }

  /**
   * A status read through the open stream (statusScript's output), or undefined when there is none ready: the
   * caller execs instead. Asking opens a stream for the reads and waits that follow, as a first wait would.
   */
  readThroughStream(jid: string, mode: 'status' | 'cleanup'): Promise<string> | undefined {
    if (!WATCHABLE.test(jid)) return undefined;
    return this.readyStream()?.read(jid, mode);
  }

  /**
   * Starts a job through the stream (see WatchStream.startJob), waiting for one that is being opened and opening
   * one if there is none: every launch of a run goes through the stream, the first included. Resolves undefined
   * when no stream can be had (no bash, long-poll mode, it failed to open): the caller execs the launcher.
   */
  async startJobThroughStream(head: string, script: string): Promise<{ rc: number; stdout: string } | undefined> {
    this.launching++;
    try {
      const stream = await this.streamWhenReady();
      return await stream?.startJob(head, script);
    } finally {
      this.launching--;
      if (this.waiters.size === 0) this.scheduleIdleStop();
    }
  }

  /** readyStream, but a stream being opened (by this call or an earlier one) is waited for */
  private streamWhenReady(): Promise<WatchStream | undefined> {
    const ready = this.readyStream();
    // reopening after a failure, or already closed: exec now rather than wait out a backoff
    if (ready || this.stream?.state !== 'opening') return Promise.resolve(ready);
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(undefined), STREAM_OPEN_WAIT_MS);
      const settle = (ready: WatchStream | undefined): void => {
        clearTimeout(timer);
        resolve(ready);
      };
      this.readyWaiters.push(settle);
    });
  }

  /** The stream if it is ready; otherwise undefined, and one is opened for what follows (closed again when idle). */
  private readyStream(): WatchStream | undefined {
    if (this.stopped || this.mode !== 'stream') return undefined;
    if (!this.stream) {
      if (!this.reopenTimer) this.openStream();
      this.scheduleIdleStop();
      return undefined;
    }
    if (this.stream.state !== 'ready') return undefined;
    if (this.waiters.size === 0) this.scheduleIdleStop();
    return this.stream;
  }

  /** Stops watching; waiters fall back to their timers. */
  stop(): void {
    this.stopped = true;
    this.inflight?.controller.abort();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.stream?.close();
  }

  private scheduleIdleStop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(
      () => {
        this.idleTimer = undefined;
        if (this.waiters.size > 0 || this.launching > 0) return;
        this.inflight?.controller.abort();
        this.stream?.close();
      },
      this.mode === 'stream' ? STREAM_IDLE_MS : IDLE_STOP_MS,
    );
    this.idleTimer.unref?.();
  }

  /** Brings the stream's watch of `jid` in line with its waiters: watched against the oldest waiter's baseline, or not at all. */
  private streamSync(jid: string): void {
    if (this.stopped || this.mode !== 'stream' || !WATCHABLE.test(jid)) return;
    const first = [...this.waiters].find((w) => w.jid === jid && w.baseline.length <= MAX_SIGNATURE);
    if (!this.stream) {
      if (first && !this.reopenTimer) this.openStream();
      return;
    }
    if (first) this.stream.watch(jid, first.baseline);
    else this.stream.unwatch(jid);
  }

  private openStream(): void {
    const stream = new WatchStream(this.connection as StreamCapable, this.asyncDir, this.become?.becomeUser, {
      onReady: () => {
        this.streamFailures = 0;
        for (const settle of this.readyWaiters.splice(0)) settle(stream);
        for (const jid of new Set([...this.waiters].map((w) => w.jid))) this.streamSync(jid);
      },
      onChanged: (jid) => {
        const compared = stream.sentSignature(jid);
        for (const w of [...this.waiters]) if (w.jid === jid && w.baseline === compared) w.resolve(true);
        // waiters with another baseline (rare) get their own watch once the remote has dropped this one
        queueMicrotask(() => this.streamSync(jid));
      },
      onClosed: (supported) => {
        if (this.stream === stream) this.stream = undefined;
        for (const settle of this.readyWaiters.splice(0)) settle(undefined);
        if (this.stopped) return;
        if (!stream.wasReady) this.streamFailures++;
        if (!supported || this.streamFailures >= 3) {
          // no bash on the target, or the stream would not start (sudo wanting a password, ...): every present
          // and future waiter goes through the long-poll exec
          this.mode = 'long-poll';
          if (this.watched().length > 0) this.ensureLooping();
          return;
        }
        if (this.watched().length === 0) return;
        // the link dropped or the channel was refused: reopen with backoff; the waiters' timers keep their budgets
        this.reopenTimer = setTimeout(
          () => {
            this.reopenTimer = undefined;
            if (!this.stopped && !this.stream && this.watched().length > 0) this.openStream();
          },
          Math.min(2000, 100 * 2 ** (this.streamFailures + 1)),
        );
        this.reopenTimer.unref?.();
      },
    });
    this.stream = stream;
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
            ...this.become,
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

export function watcherFor(connection: Connection, asyncDir: string, become?: JobBecome): DirWatcher {
  let byDir = watchers.get(connection);
  if (!byDir) {
    byDir = new Map();
    watchers.set(connection, byDir);
  }
  // the same dir name is another directory for another user (~ is their home)
  const key = `${asyncDir}\u0000${become?.becomeUser ?? ''}`;
  let watcher = byDir.get(key);
  if (!watcher) {
    watcher = new DirWatcher(connection, asyncDir, become);
    byDir.set(key, watcher);
  }
  return watcher;
}

/** Stops every watcher on a connection (call before closing it). */
export function stopWatchers(connection: Connection): void {
  for (const watcher of watchers.get(connection)?.values() ?? []) watcher.stop();
  watchers.delete(connection);
}
