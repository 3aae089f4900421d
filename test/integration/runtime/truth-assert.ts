/** The comparison every recorded-case test makes: exit code, PLAY RECAP and per-host result sequence. */
import { expect, it } from 'vitest';
import { recapLines } from './helpers';
import { actualSequences, expectedRc, expectedRecap, expectedSequences, runCase } from './truth-cases';

export function reproduces(name: string, timeoutMs = 120_000): void {
  it(`${name} reproduces under --core-version 2.14`, async () => {
    const outcome = await runCase(name);
    const context = `${outcome.out}\n${outcome.err}`;
    expect(actualSequences(outcome.events), context).toEqual(expectedSequences(name));
    expect(recapLines(outcome.out), context).toEqual(expectedRecap(name));
    expect(outcome.rc, context).toBe(expectedRc(name));
  }, timeoutMs);
}
