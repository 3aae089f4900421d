/**
 * Attempt counting, delay, poll checks and the watchdog, checked against SEMANTICS.md and against the
 * executions real Ansible 2.14 made in the recorded cases (each execution appended a line to a counter file).
 */
import { describe, expect, it } from 'vitest';
import { walkPlay } from '../../../runtime/playbook';
import {
  effectiveDelay,
  pollChecks,
  pollWaitSeconds,
  taskBudget,
  untilAttempts,
  watchdogKillSeconds,
} from '../../../runtime/waits';
import { events, load, truthCases } from '../playbook/corpus';

describe('untilAttempts', () => {
  it('with until: 1 + retries, default 3 retries, retries ≤ 0 → 1', () => {
    for (const v of ['2.14', '2.16', '2.19']) {
      expect(untilAttempts(10, true, v)).toBe(11);
      expect(untilAttempts(undefined, true, v)).toBe(4);
      expect(untilAttempts(0, true, v)).toBe(1);
      expect(untilAttempts(-2, true, v)).toBe(1);
      expect(untilAttempts(1, true, v)).toBe(2);
    }
  });

  it('without until: ignored before 2.16, retried until success from 2.16', () => {
    expect(untilAttempts(3, false, '2.14')).toBe(1);
    expect(untilAttempts(3, false, '2.15')).toBe(1);
    expect(untilAttempts(3, false, '2.16')).toBe(4);
    expect(untilAttempts(3, false, '2.19')).toBe(4);
    expect(untilAttempts(3, false)).toBe(4); // default target is 2.19
    expect(untilAttempts(undefined, false, '2.19')).toBe(1);
    expect(untilAttempts(-1, false, '2.19')).toBe(1);
  });
});

describe('effectiveDelay', () => {
  it('default 5, negative → 1, 0 stays 0', () => {
    expect(effectiveDelay(undefined)).toBe(5);
    expect(effectiveDelay(-3, '2.14')).toBe(1);
    expect(effectiveDelay(-3, '2.19')).toBe(1);
    expect(effectiveDelay(0)).toBe(0);
    expect(effectiveDelay(30)).toBe(30);
  });

  it('floats truncated before 2.17.5, kept after', () => {
    expect(effectiveDelay(1.9, '2.14')).toBe(1);
    expect(effectiveDelay(1.9, '2.17.4')).toBe(1);
    expect(effectiveDelay(1.9, '2.17.5')).toBe(1.9);
    expect(effectiveDelay(1.9, '2.17')).toBe(1.9); // a bare line means its newest release
    expect(effectiveDelay(1.9, '2.19')).toBe(1.9);
    expect(effectiveDelay(-0.5, '2.14')).toBe(0); // int(-0.5) is 0: no sleep
    expect(effectiveDelay(-0.5, '2.19')).toBe(1);
  });
});

describe('poll and watchdog', () => {
  it('at most ceil(async/poll) checks', () => {
    expect(pollChecks(3600, 15)).toBe(240);
    expect(pollChecks(10, 3)).toBe(4);
    expect(pollChecks(6, 2)).toBe(3);
    expect(pollChecks(30, 15)).toBe(2);
    expect(pollChecks(10, 0)).toBe(0);
    expect(pollChecks(10, -1)).toBe(0);
    expect(pollChecks(-5, 2)).toBe(0);
    expect(pollChecks(0, 5)).toBe(0);
    expect(pollWaitSeconds(10, 3)).toBe(12);
  });

  it('watchdog kill at 5·(1+ceil(async/5))', () => {
    expect(watchdogKillSeconds(1)).toBe(10);
    expect(watchdogKillSeconds(5)).toBe(10);
    expect(watchdogKillSeconds(6)).toBe(15);
    expect(watchdogKillSeconds(10)).toBe(15);
    expect(watchdogKillSeconds(3600)).toBe(3605);
    expect(watchdogKillSeconds(0)).toBe(0);
  });
});

/** counter name → executions, from the "count executions" task's output in a recorded case */
function recordedExecutions(caseDir: string): Map<string, number> {
  const ok = events(caseDir).find((e) => e.event === 'runner_ok' && e.task === 'count executions')!;
  const lines = (ok.result as { stdout_lines: string[] }).stdout_lines;
  return new Map(lines.map((l) => l.split('=')).map(([k, v]) => [k, Number(v)]));
}

describe('executions real Ansible 2.14 made', () => {
  // tasks whose until never passes (or that fail at once) execute exactly the budgeted number of attempts
  const cases = ['15-', '16-', '17-'];
  for (const prefix of cases) {
    it(`case ${prefix}: attempts (or 0 when the task fails at once) equal the recorded executions`, () => {
      const c = truthCases().find((x) => x.name.startsWith(prefix))!;
      const recorded = recordedExecutions(c.dir);
      const play = load(c.playbook).plays[0];
      let compared = 0;
      for (const task of walkPlay(play)) {
        const counter = (task.keywords.vars?.value as Record<string, unknown> | undefined)?.counter;
        if (typeof counter !== 'string' || !recorded.has(counter)) continue;
        const until = task.keywords.until?.value;
        const neverPasses = until === false || (typeof until === 'string' && until.includes('>= 100'));
        const retriesWithoutUntil = until === undefined && task.keywords.retries !== undefined;
        if (!neverPasses && !retriesWithoutUntil) continue;
        const budget = taskBudget(task, { play, coreVersion: '2.14' });
        const executions = budget.failsAtOnce ? 0 : budget.attempts;
        expect(executions, `${c.name}: ${task.name}`).toBe(recorded.get(counter));
        compared++;
      }
      expect(compared).toBeGreaterThanOrEqual(2);
    });
  }
});
