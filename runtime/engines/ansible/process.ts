/**
 * Runs ansible-playbook as the leader of its own process group with our event pipe on fd 3, and forwards a cancel
 * the way a terminal does: SIGINT to the whole group (Ansible's workers handle it and the main process prints
 * "User interrupted execution"), then SIGTERM and SIGKILL if it does not stop.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { EVENTS_FD } from './command-line';

export interface AnsibleProcessHandlers {
  onEvents(chunk: Buffer): void;
  onStdout(chunk: Buffer): void;
  onStderr(chunk: Buffer): void;
  onSpawn(pid: number): void;
}

export interface AnsibleProcessOutcome {
  exitCode: number;
  cancelled: boolean;
  /** set when the program could not be started at all */
  spawnError?: Error;
}

/** Seconds to wait after SIGINT before SIGTERM, and after SIGTERM before SIGKILL. */
export const CANCEL_GRACE_MS = 5_000;
/** After the process exits, how long its pipes may stay open (a stray grandchild holding them) before we stop reading. */
const DRAIN_MS = 2_000;

export function runAnsibleProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  handlers: AnsibleProcessHandlers,
): Promise<AnsibleProcessOutcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], detached: true });
    const events = child.stdio[EVENTS_FD] as Readable;
    const streams = [child.stdout!, child.stderr!, events];
    child.stdout!.on('data', handlers.onStdout);
    child.stderr!.on('data', handlers.onStderr);
    events.on('data', handlers.onEvents);

    let cancelled = false;
    const timers: NodeJS.Timeout[] = [];
    const signalGroup = (name: NodeJS.Signals): void => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, name);
      } catch {
        /* the group is already gone */
      }
    };
    const onAbort = (): void => {
      if (cancelled) return;
      cancelled = true;
      signalGroup('SIGINT');
      timers.push(setTimeout(() => signalGroup('SIGTERM'), CANCEL_GRACE_MS));
      timers.push(setTimeout(() => signalGroup('SIGKILL'), 2 * CANCEL_GRACE_MS));
    };

    let settled = false;
    const finish = (outcome: AnsibleProcessOutcome): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      for (const timer of timers) clearTimeout(timer);
      resolve(outcome);
    };

    child.on('error', (error) => finish({ exitCode: 127, cancelled, spawnError: error }));
    child.on('spawn', () => {
      handlers.onSpawn(child.pid!);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    child.on('exit', (code, signalName) => {
      const exitCode = code ?? 128 + (signalName ? (constants.signals[signalName] ?? 0) : 0);
      // Wait for the pipes to drain so no event written just before exit is lost, but not forever.
      const open = streams.filter((stream) => !stream.readableEnded && !stream.destroyed);
      let remaining = open.length;
      const drained = (): void => {
        if (--remaining <= 0) finish({ exitCode, cancelled });
      };
      if (remaining === 0) finish({ exitCode, cancelled });
      for (const stream of open) {
        stream.once('end', drained);
        stream.once('close', () => (stream.readableEnded ? undefined : drained()));
      }
      const drainTimer = setTimeout(() => {
        for (const stream of open) stream.destroy();
        finish({ exitCode, cancelled });
      }, DRAIN_MS);
      drainTimer.unref();
      timers.push(drainTimer);
    });
  });
}
