/**
 * The small numbers both the editor and the engine obey (SEMANTICS.md §1-§3). Inputs are values already
 * converted with coerceInt (or absent); `version` is the target ansible-core ("2.14".."2.19", default 2.19).
 */
import { coreAtLeast } from '../playbook/core-version';

export const DEFAULT_POLL = 15;
export const DEFAULT_DELAY = 5;
export const DEFAULT_RETRIES_WITH_UNTIL = 3;
/** async_wrapper's watchdog step */
export const WATCHDOG_STEP = 5;

/**
 * Maximum executions of a task: 1 + retries.
 * - `until` set: retries defaults to 3 (4 executions); retries ≤ 0 → 1 execution.
 * - no `until`: before 2.16 retries is ignored (1 execution); from 2.16 the task is retried until it does not
 *   fail, at most 1 + max(0, retries) executions.
 */
export function untilAttempts(retries: number | undefined | null, hasUntil: boolean, version?: string): number {
  const r = retries === undefined || retries === null ? undefined : Math.trunc(retries);
  if (!hasUntil) {
    if (!coreAtLeast(version, '2.16') || r === undefined) return 1;
    return 1 + Math.max(0, r);
  }
  if (r === undefined) return 1 + DEFAULT_RETRIES_WITH_UNTIL;
  return r <= 0 ? 1 : r + 1;
}

/** the `attempts` value a registered result shows when until is exhausted: retries, one less than executions */
export function exhaustedAttemptsField(executions: number): number {
  return Math.max(1, executions - 1);
}

/** true when retries take effect (until set, or retries set from 2.16) */
export function retriesApply(retries: number | undefined | null, hasUntil: boolean, version?: string): boolean {
  return untilAttempts(retries, hasUntil, version) > 1;
}

/**
 * Seconds slept between attempts: default 5; negative → 1; 0 → no sleep.
 * Floats are truncated by int() before 2.17.5 and kept from 2.17.5 (delay became a float field).
 */
export function effectiveDelay(delay: number | undefined | null, version?: string): number {
  if (delay === undefined || delay === null || Number.isNaN(delay)) return DEFAULT_DELAY;
  const d = coreAtLeast(version, '2.17.5') ? delay : Math.trunc(delay) + 0; // + 0: int(-0.5) is 0, not -0
  return d < 0 ? 1 : d;
}

/** whether `delay` is converted with float() (2.17.5+) rather than int() */
export function delayIsFloat(version?: string): boolean {
  return coreAtLeast(version, '2.17.5');
}

/** the poll interval: default 15 when absent */
export function effectivePoll(poll: number | undefined | null): number {
  return poll === undefined || poll === null ? DEFAULT_POLL : poll;
}

/**
 * Status checks the controller makes for `async: A, poll: P`: time_left starts at A and loses P per
 * check, so at most ceil(A/P) checks (whatever the wall time), each preceded by a P-second sleep.
 * 0 when the task is not polled (poll ≤ 0 or async ≤ 0: fire and forget or synchronous).
 */
export function pollChecks(asyncSeconds: number, poll: number): number {
  if (!(asyncSeconds > 0) || !(poll > 0)) return 0;
  return Math.ceil(asyncSeconds / poll);
}

/** how long the controller waits for a polled job at most: checks × poll */
export function pollWaitSeconds(asyncSeconds: number, poll: number): number {
  return pollChecks(asyncSeconds, poll) * poll;
}

/**
 * When async_wrapper's watchdog kills the job's process group: it sleeps 5 s, then repeatedly sleeps 5 s and
 * subtracts 5 from the remaining time, killing once it reaches ≤ 0: 5·(1 + ceil(async/5)) s after launch.
 */
export function watchdogKillSeconds(asyncSeconds: number): number {
  if (!(asyncSeconds > 0)) return 0;
  return WATCHDOG_STEP * (1 + Math.ceil(asyncSeconds / WATCHDOG_STEP));
}

/** async > 0 with poll > 0 waits for the job; any other non-zero async launches and returns at once */
export function asyncMode(asyncSeconds: number, poll: number): 'sync' | 'poll' | 'launch' {
  if (asyncSeconds === 0) return 'sync';
  return asyncSeconds > 0 && poll > 0 ? 'poll' : 'launch';
}

/** wall time an until loop sleeps at most: (attempts − 1) × delay */
export function retryWaitSeconds(attempts: number, delay: number): number {
  return Math.max(0, attempts - 1) * delay;
}
