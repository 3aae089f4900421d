/**
 * Filters, tests, methods, statements and errors beyond the shared oracle (probes.ts), against the answers
 * Debian's ansible-core 2.14.18 gave (truth/probes-*.json, recorded with ansible_templar.py;
 * ansible-live.test.ts asks it again and fails if these files are stale).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcome, type Outcome } from './outcome';
import { deliberateDifferences, probes, probeVars } from './probes';

const recorded = (mode: string) => JSON.parse(readFileSync(join(__dirname, 'truth', `probes-${mode}.json`), 'utf8')) as Record<string, Outcome>;

for (const [mode, native] of [['native', true], ['string', false]] as const) {
  describe(`probes against recorded ansible-core 2.14.18 (${mode})`, () => {
    const expected = recorded(mode);
    it('has an answer for every probe', () => {
      expect(Object.keys(expected).sort()).toEqual(probes.map((p) => p.id).sort());
    });
    for (const p of probes) {
      const diff = deliberateDifferences[p.id];
      if (diff) {
        it(`${p.id}: ${p.src} (deliberate difference: ${diff.why})`, () => {
          expect(expected[p.id]).toEqual(diff.ansible);
          expect(outcome(p, probeVars, { native })).toEqual(diff.ours);
        });
        continue;
      }
      it(`${p.id}: ${p.src}`, () => {
        expect(outcome(p, probeVars, { native })).toEqual(expected[p.id]);
      });
    }
  });
}
