/**
 * Compares the two engines' summaries of one case. Timing may legitimately move the number of status checks of a
 * wait on a job (see sameCheckCount), so those get a tolerance; everything else must be equal.
 */
import type { HostTaskOutcome, RunSummary } from './outcomes';

export type Field = 'presence' | 'status' | 'changed' | 'retries' | 'attempts' | 'polls' | 'asyncEnd' | 'jobStarted' | 'message' | 'shape' | 'items' | 'rc' | 'recap' | 'errors' | 'errorDetail';

export interface Difference {
  caseId: string;
  /** task key and host, or "run" for run-level fields */
  where: string;
  task: string;
  host: string;
  field: Field;
  ansible: string;
  bundled: string;
  /** reason from docs/conformance.md when the difference is deliberate */
  documented?: string;
}

export interface CaseComparison {
  caseId: string;
  compared: number;
  matches: number;
  differences: Difference[];
}

/** Async status checks are paced by the clock: a job may be seen finished one check earlier or later. */
export const POLL_TOLERANCE = 1;

/**
 * Whether two counts of status checks (polls, or the retries/attempts of a wait on a job) agree. Besides one check
 * either way, ansible-playbook may report fewer: its time between checks is poll/delay plus the check itself (an
 * SSH round trip and a Python module start, seconds on a busy machine), and the tasks before a join take as long,
 * so a short job is often finished at its first check. Load never makes Ansible check more often, so more checks
 * than the bundled engine (beyond one) stay a difference.
 */
export function sameCheckCount(ansible: number | undefined, bundled: number | undefined): boolean {
  if (ansible === bundled) return true;
  if (ansible === undefined || bundled === undefined) return false;
  return Math.abs(ansible - bundled) <= POLL_TOLERANCE || ansible < bundled;
}

const show = (value: unknown): string => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

export function compareRuns(
  caseId: string,
  ansible: { rc: number | null; summary: RunSummary },
  bundled: { rc: number | null; summary: RunSummary },
  timingDependent: (outcome: HostTaskOutcome) => boolean,
): CaseComparison {
  const differences: Difference[] = [];
  let compared = 0;
  const check = (where: string, task: string, host: string, field: Field, a: unknown, b: unknown, equal: boolean): void => {
    compared++;
    if (!equal) differences.push({ caseId, where, task, host, field, ansible: show(a), bundled: show(b) });
  };
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

  check('run', '', '', 'rc', ansible.rc, bundled.rc, ansible.rc === bundled.rc);
  const hosts = new Set([...Object.keys(ansible.summary.recap ?? {}), ...Object.keys(bundled.summary.recap ?? {})]);
  for (const host of [...hosts].sort()) {
    const a = ansible.summary.recap?.[host];
    const b = bundled.summary.recap?.[host];
    check(`recap @${host}`, '', host, 'recap', a, b, same(a, b));
  }
  // Where an error is (file:line) must match; its wording and column are compared separately, because a YAML
  // syntax error is described by each engine's own YAML parser.
  const errorLines = (summary: RunSummary): string[] => summary.errors.map((e) => e.position?.replace(/:\d+$/, '') ?? 'no position');
  const errorDetails = (summary: RunSummary): string[] => summary.errors.map((e) => `${e.position ?? ''} ${e.message}`);
  check('run', '', '', 'errors', errorLines(ansible.summary), errorLines(bundled.summary), same(errorLines(ansible.summary), errorLines(bundled.summary)));
  check('run', '', '', 'errorDetail', errorDetails(ansible.summary), errorDetails(bundled.summary), same(errorDetails(ansible.summary), errorDetails(bundled.summary)));

  const ids = new Set([...ansible.summary.outcomes.keys(), ...bundled.summary.outcomes.keys()]);
  for (const id of ids) {
    const a = ansible.summary.outcomes.get(id);
    const b = bundled.summary.outcomes.get(id);
    const any = (a ?? b)!;
    if (!a || !b) {
      check(id, any.task, any.host, 'presence', a ? 'ran' : 'absent', b ? 'ran' : 'absent', false);
      continue;
    }
    const tolerant = timingDependent(a);
    check(id, a.task, a.host, 'status', a.status, b.status, a.status === b.status);
    check(id, a.task, a.host, 'changed', a.changed, b.changed, a.changed === b.changed);
    check(id, a.task, a.host, 'retries', a.retries, b.retries, tolerant ? sameCheckCount(a.retries, b.retries) : a.retries === b.retries);
    check(id, a.task, a.host, 'attempts', a.attempts, b.attempts, tolerant ? sameCheckCount(a.attempts, b.attempts) : a.attempts === b.attempts);
    check(id, a.task, a.host, 'polls', a.polls, b.polls, sameCheckCount(a.polls, b.polls));
    check(id, a.task, a.host, 'asyncEnd', a.asyncEnd, b.asyncEnd, a.asyncEnd === b.asyncEnd);
    check(id, a.task, a.host, 'jobStarted', a.jobStarted, b.jobStarted, a.jobStarted === b.jobStarted);
    check(id, a.task, a.host, 'message', a.message, b.message, a.message === b.message);
    check(id, a.task, a.host, 'shape', a.shape, b.shape, a.shape === b.shape);
    check(id, a.task, a.host, 'items', a.items, b.items, same(a.items, b.items));
  }
  return { caseId, compared, matches: compared - differences.length, differences };
}
