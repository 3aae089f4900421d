import { it, expect } from 'vitest';
import { runCase, expectedSequences, actualSequences, expectedRc, expectedRecap } from '/work/main/test/integration/runtime/truth-cases';
import { recapLines } from '/work/main/test/integration/runtime/helpers';
const name = process.env.CASE!;
it(name, async () => {
  const o = await runCase(name);
  console.log(o.out, o.err);
  expect(actualSequences(o.events)).toEqual(expectedSequences(name));
  expect(recapLines(o.out)).toEqual(expectedRecap(name));
  expect(o.rc).toBe(expectedRc(name));
}, 120000);
