/**
 * 10,000 mutated playbooks from the examples and truth corpora through the analysis (the code the server and
 * the CLI run): nothing throws, no rule fails, and every analysis is fast. Time is measured as CPU time of this
 * process (user + system), which a loaded CI machine does not inflate the way it inflates wall time; the first
 * analyses (JIT warm-up) are reported but not held to the limit. Wall-clock maxima are printed too.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/analysis/analyze';
import { normalizeSettings } from '../../../server/analysis/settings';
import { corpus } from '../../fixtures/lsp/corpus';
import { mutate, rng } from '../../fixtures/lsp/mutate';

const COUNT = Number(process.env.PS_FUZZ_COUNT ?? 10_000);
const VERSIONS = ['2.14', '2.16', '2.17.4', '2.19'];

describe('fuzz: mutated playbooks through the analysis', () => {
  it(`${COUNT} mutants: no throw, no rule failure, each analysis fast`, () => {
    const seeds = corpus();
    expect(seeds.length).toBeGreaterThan(20);
    const WARMUP = 20;
    const times: number[] = [];
    let worst = { ms: 0, seed: 0, name: '' };
    let worstWall = 0;
    let warmupMax = 0;
    let findings = 0;
    for (let i = 0; i < COUNT; i++) {
      const seed = 1000 + i;
      const random = rng(seed);
      const base = seeds[i % seeds.length];
      const text = mutate(base.text, random);
      const settings = normalizeSettings({ ansibleCoreVersion: VERSIONS[i % VERSIONS.length] });
      const kind = i % 7 === 0 ? 'tasks' : 'playbook';
      const started = performance.now();
      const cpu = process.cpuUsage();
      let result;
      try {
        result = analyzeText(`/fuzz/${i}.yml`, text, { kind, settings, readFile: () => (i % 3 === 0 ? base.text : undefined) });
        // budgets are computed lazily: what inlay hints and code lenses ask for is part of the analysis
        void result.taskBudgets;
        void result.playBudgets;
      } catch (error) {
        throw new Error(`seed ${seed} (${base.name}) threw: ${(error as Error).stack}\n--- text ---\n${text}`);
      }
      const used = process.cpuUsage(cpu);
      const ms = (used.user + used.system) / 1000;
      worstWall = Math.max(worstWall, performance.now() - started);
      if (i < WARMUP) warmupMax = Math.max(warmupMax, ms);
      else {
        times.push(ms);
        if (ms > worst.ms) worst = { ms, seed, name: base.name };
      }
      expect(result.failures, `seed ${seed} (${base.name}): ${JSON.stringify(result.failures)}\n--- text ---\n${text}`).toEqual([]);
      for (const f of result.findings) {
        expect(f.span.start, `seed ${seed} ${f.code}`).toBeGreaterThanOrEqual(0);
        expect(f.span.end, `seed ${seed} ${f.code}`).toBeGreaterThanOrEqual(f.span.start);
        expect(f.message.length, `seed ${seed} ${f.code}`).toBeGreaterThan(0);
      }
      findings += result.findings.length;
    }
    times.sort((a, b) => a - b);
    const p99 = times[Math.floor(times.length * 0.99)];
    console.log(
      `fuzz: ${COUNT} analyses, ${findings} findings; CPU per analysis: median ${times[times.length >> 1].toFixed(2)} ms, ` +
        `p99 ${p99.toFixed(2)} ms, max ${worst.ms.toFixed(2)} ms (seed ${worst.seed}, ${worst.name}), warm-up max ${warmupMax.toFixed(2)} ms; wall max ${worstWall.toFixed(2)} ms`,
    );
    expect(findings).toBeGreaterThan(COUNT);
    expect(worst.ms).toBeLessThan(200);
  }, 900_000);
});
