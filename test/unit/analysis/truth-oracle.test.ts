/**
 * The recorded ansible-core 2.14.18 runs (shared/truth) as oracle for the analysis with target 2.14:
 * - an error finding on a task means the task failed in the real run (or the playbook did not parse);
 * - async-unsupported / bad-int-value / async-check-mode say exactly what Ansible printed;
 * - every task that really failed for one of those reasons has the finding;
 * - attempts and status-check counts in the budgets match the executions and polls that really happened.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/analysis/analyze';
import { normalizeSettings } from '../../../server/analysis/settings';
import { truthDir } from '../../shared';


interface Event {
  event: string;
  task?: string;
  host?: string;
  result?: Record<string, unknown>;
}

const cases = existsSync(truthDir) ? readdirSync(truthDir).filter((d) => existsSync(join(truthDir, d, 'playbook.yml'))).sort() : [];

function load(name: string) {
  const dir = join(truthDir, name);
  const path = join(dir, 'playbook.yml');
  const text = readFileSync(path, 'utf8');
  const events = readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event);
  const rc = Number(readFileSync(join(dir, 'rc'), 'utf8').trim());
  const result = analyzeText(path, text, {
    settings: normalizeSettings({ ansibleCoreVersion: '2.14' }),
    readFile: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined),
  });
  return { path, text, events, rc, result };
}

/** compares attempts/status checks with the recorded run; returns how many tasks could be compared */
function compareBudgets(c: ReturnType<typeof load>): number {
    // events between a task_start and the next one belong to that task (async_poll events name "async_status")
    const segments = new Map<string, Event[]>();
    let current: Event[] | undefined;
    for (const e of c.events) {
      if (e.event === 'task_start' && e.task) {
        current = [];
        if (!segments.has(e.task)) segments.set(e.task, current);
      } else if (e.event === 'play_start' || e.event === 'stats') current = undefined;
      else current?.push(e);
    }
    let compared = 0;
    for (const { task, budget } of c.result.taskBudgets) {
      if (!task.name || task.file.path !== c.path || task.keywords.loop) continue;
      const events = segments.get(task.name);
      if (!events) continue;
      const hosts = [...new Set(events.map((e) => e.host).filter(Boolean))] as string[];
      for (const host of hosts) {
        const mine = events.filter((e) => e.host === host);
        const final = mine.find((e) => e.event === 'runner_failed' || e.event === 'runner_ok');
        const executions = mine.filter((e) => e.event === 'retry').length + 1;
        if (budget.attempts !== null && budget.attempts > 0 && !budget.failsAtOnce) {
          // never more executions than the budget allows
          expect(executions, `'${task.name}' on ${host}`).toBeLessThanOrEqual(budget.attempts);
          // until exhausted (Ansible then reports attempts = executions - 1): exactly the budget's attempts
          if (final?.event === 'runner_failed' && final.result?.attempts === executions - 1 && executions > 1) {
            expect(executions, `'${task.name}' on ${host}`).toBe(budget.attempts);
            compared++;
          }
        }
        // a polled job that timed out: one async_poll per status check
        const timedOut = mine.some((e) => e.event === 'async_failed' && /did not complete within the requested time/.test(String(e.result?.msg ?? '')));
        if (timedOut && budget.async?.checks != null) {
          expect(mine.filter((e) => e.event === 'async_poll').length, `'${task.name}' on ${host}`).toBe(budget.async.checks);
          compared++;
        }
      }
    }
  return compared;
}

const FAILED = new Set(['runner_failed', 'item_failed', 'async_failed']);

describe('truth cases (ansible-core 2.14.18) as oracle', () => {
  it('has the cases, and enough exhausted untils and timed-out polls to compare budgets with', () => {
    expect(cases.length).toBeGreaterThan(20);
    const compared = cases.reduce((n, name) => n + compareBudgets(load(name)), 0);
    expect(compared).toBeGreaterThanOrEqual(5);
  });

  for (const name of cases) {
    describe(name, () => {
      const c = load(name);
      const taskName = (offset: number) => c.result.facts.tasks.find((t) => t.task.file.path === c.path && t.task.span.start <= offset && offset <= t.task.span.end && t.task.kind !== 'block')?.task.name;

      it('no error finding on a task that did not fail', () => {
        const ran = c.events.some((e) => e.event === 'task_start');
        for (const f of c.result.findings.filter((x) => x.severity === 'error' && x.file.path === c.path)) {
          if (!ran) {
            // the playbook did not parse: Ansible stopped with exit code 4
            expect(c.rc, `${f.code}: ${f.message}`).toBe(4);
            continue;
          }
          const task = taskName(f.span.start);
          expect(task, `${f.code} outside a named task`).toBeTruthy();
          const failed = c.events.some((e) => FAILED.has(e.event) && e.task === task);
          expect(failed, `${f.code} on '${task}' but the task did not fail: ${f.message}`).toBe(true);
        }
      });

      it('messages match what Ansible printed, and no such failure is missed', () => {
        const failures = c.events.filter((e) => e.event === 'runner_failed' && typeof e.result?.msg === 'string');
        for (const e of failures) {
          const msg = e.result!.msg as string;
          const code = msg === 'async is not supported for this task.' ? 'async-unsupported'
            : /could not be converted to an int/.test(msg) ? 'bad-int-value'
            : msg === 'check mode and async cannot be used on same task.' ? 'async-check-mode'
            : undefined;
          if (!code) continue;
          const hits = c.result.findings.filter((f) => f.code === code && taskName(f.span.start) === e.task);
          expect(hits.length, `${code} missing on '${e.task}'`).toBeGreaterThan(0);
          const expected = code === 'bad-int-value' ? msg.split('\n')[0] : msg;
          expect(hits.some((h) => h.message.includes(expected)), `${hits.map((h) => h.message).join(' | ')} vs ${expected}`).toBe(true);
        }
      });

      it('attempts and status checks in the budgets match the real run', () => {
        compareBudgets(c);
      });
    });
  }
});
