/**
 * When async_wrapper's watchdog kills a job: it sleeps 5 s, then loops {sleep 5; remaining -= 5; if remaining
 * <= 0: kill}, so the kill lands at 5 * (1 + ceil(async / 5)) s, and never before 10 s (a negative async still
 * runs one loop turn). The controller never kills.
 */
export function watchdogLimitSeconds(asyncSeconds: number): number {
  return 5 * (1 + Math.max(1, Math.ceil(asyncSeconds / 5)));
}
