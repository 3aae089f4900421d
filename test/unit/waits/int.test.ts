/** Python int() conversion of keyword values, and the exact failure text real Ansible printed. */
import { describe, expect, it } from 'vitest';
import { walkPlay } from '../../../runtime/playbook';
import { coerceFloat, coerceInt, taskBudget } from '../../../runtime/waits';
import { events, load, truthCases } from '../playbook/corpus';

describe('coerceInt', () => {
  it('accepts what int() accepts', () => {
    expect(coerceInt(7)).toEqual({ ok: true, value: 7 });
    expect(coerceInt('7')).toEqual({ ok: true, value: 7 });
    expect(coerceInt(' -12 ')).toEqual({ ok: true, value: -12 });
    expect(coerceInt('1_000')).toEqual({ ok: true, value: 1000 });
    expect(coerceInt(2.7)).toEqual({ ok: true, value: 2 });
    expect(coerceInt(-2.7)).toEqual({ ok: true, value: -2 });
    expect(coerceInt(true)).toEqual({ ok: true, value: 1 });
    expect(coerceInt(false)).toEqual({ ok: true, value: 0 });
  });

  it('rejects what int() rejects, with its message', () => {
    expect(coerceInt('abc', 'async')).toEqual({
      ok: false,
      error: "the field 'async_val' has an invalid value (abc), and could not be converted to an int.The error was: invalid literal for int() with base 10: 'abc'",
    });
    expect(coerceInt('2.7', 'poll')).toMatchObject({ ok: false, error: expect.stringContaining("invalid literal for int() with base 10: '2.7'") });
    expect(coerceInt("it's", 'delay')).toMatchObject({ error: expect.stringContaining(`with base 10: "it's"`) });
    expect(coerceInt([1, 2], 'retries')).toMatchObject({
      error: "the field 'retries' has an invalid value ([1, 2]), and could not be converted to an int.The error was: int() argument must be a string, a bytes-like object or a real number, not 'list'",
    });
    expect(coerceInt(Infinity)).toMatchObject({ ok: false, error: expect.stringContaining('cannot convert float infinity to integer') });
    expect(coerceInt('')).toMatchObject({ ok: false, error: expect.stringContaining("with base 10: ''") });
  });

  it('coerceFloat keeps fractions (delay from 2.17.5)', () => {
    expect(coerceFloat('1.5')).toEqual({ ok: true, value: 1.5 });
    expect(coerceFloat(2)).toEqual({ ok: true, value: 2 });
    expect(coerceFloat('x', 'delay')).toMatchObject({ ok: false, error: expect.stringContaining("could not convert string to float: 'x'") });
  });
});

describe('the failure messages Ansible 2.14 recorded', () => {
  it('every "the field ... could not be converted" failure is predicted for the same task', () => {
    let compared = 0;
    for (const c of truthCases()) {
      const failures = events(c.dir).filter(
        (e) => e.event === 'runner_failed' && typeof e.result?.msg === 'string' && (e.result.msg as string).startsWith('the field '),
      );
      if (!failures.length) continue;
      const play = load(c.playbook).plays[0];
      for (const failure of failures) {
        const msg = failure.result!.msg as string;
        const line = Number(/line (\d+), column/.exec(msg)![1]);
        const task = [...walkPlay(play)].find((t) => t.name === failure.task)!;
        expect(task.file.position(task.span.start).line + 1).toBe(line);
        const budget = taskBudget(task, { play, coreVersion: '2.14' });
        expect(budget.failsAtOnce).toBe(msg.split('\n\n')[0]);
        expect(budget.invalid[0].message).toBe(msg.split('\n\n')[0]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(5);
  });
});
