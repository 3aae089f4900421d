/**
 * 10,000 mutated playbooks from the examples and truth corpora through the analysis (the code the server and
 * the CLI run): nothing throws, no rule fails, and every analysis — the first ones (JIT warm-up) included —
 * takes under 200 ms. The limit is held on the CPU time this process spends (user + system, so garbage
 * collection counts), which a loaded CI machine does not inflate the way it inflates wall-clock time. A full
 * collection of the test runner's own heap can still land inside one analysis: an analysis over the limit is
 * measured again (up to 3 times) and its best time counts. The first-attempt maxima (CPU and wall-clock) are
 * reported unfiltered, with how many analyses were measured again.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/analysis/analyze';
import { normalizeSettings } from '../../../server/analysis/settings';
import { corpus } from '../../fixtures/lsp/corpus';
import { mutate, rng } from '../../fixtures/lsp/mutate';

const COUNT = Number(process.env.PS_FUZZ_COUNT ?? 10_000);
const VERSIONS = ['2.14', '2.16', '2.17.4', '2.19'];
const LIMIT_MS = 200;

type Worst = { ms: number; seed: number; name: string };
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

describe('fuzz: mutated playbooks through the analysis', () => {
  it(`${COUNT} mutants: no throw, no rule failure, each analysis under ${LIMIT_MS} ms of CPU`, () => {
    const seeds = corpus();
    expect(seeds.length).toBeGreaterThan(20);
    const cpus: number[] = [];
    const walls: number[] = [];
    let worstCpu: Worst = { ms: 0, seed: 0, name: '' };
    let worstWall: Worst = { ms: 0, seed: 0, name: '' };
    let slowest: Worst = { ms: 0, seed: 0, name: '' };
    const remeasured: number[] = [];
    let findings = 0;
    for (let i = 0; i < COUNT; i++) {
      const seed = 1000 + i;
      const random = rng(seed);
      const base = seeds[i % seeds.length];
      const text = mutate(base.text, random);
      const settings = normalizeSettings({ ansibleCoreVersion: VERSIONS[i % VERSIONS.length] });
      const kind = i % 7 === 0 ? 'tasks' : 'playbook';
      const analyse = () => {
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
        return { result, cpu: (used.user + used.system) / 1000, wall: performance.now() - started };
      };
      const first = analyse();
      const result = first.result;
      cpus.push(first.cpu);
      walls.push(first.wall);
      if (first.cpu > worstCpu.ms) worstCpu = { ms: first.cpu, seed, name: base.name };
      if (first.wall > worstWall.ms) worstWall = { ms: first.wall, seed, name: base.name };
      let best = first.cpu;
      if (best >= LIMIT_MS) remeasured.push(seed);
      for (let again = 0; again < 3 && best >= LIMIT_MS; again++) best = Math.min(best, analyse().cpu);
      if (best > slowest.ms) slowest = { ms: best, seed, name: base.name };
      expect(result.failures, `seed ${seed} (${base.name}): ${JSON.stringify(result.failures)}\n--- text ---\n${text}`).toEqual([]);
      for (const f of result.findings) {
        expect(f.span.start, `seed ${seed} ${f.code}`).toBeGreaterThanOrEqual(0);
        expect(f.span.end, `seed ${seed} ${f.code}`).toBeGreaterThanOrEqual(f.span.start);
        expect(f.message.length, `seed ${seed} ${f.code}`).toBeGreaterThan(0);
      }
      findings += result.findings.length;
    }
    cpus.sort((a, b) => a - b);
    walls.sort((a, b) => a - b);
    const line = (name: string, sorted: number[], worst: Worst) =>
      `${name} median ${percentile(sorted, 0.5).toFixed(2)} ms, p99 ${percentile(sorted, 0.99).toFixed(2)} ms, max ${worst.ms.toFixed(2)} ms (seed ${worst.seed}, ${worst.name})`;
    console.log(
      `fuzz: ${COUNT} analyses, ${findings} findings; first attempts: ${line('CPU', cpus, worstCpu)}; ${line('wall', walls, worstWall)}; ` +
        `${remeasured.length} over ${LIMIT_MS} ms CPU measured again${remeasured.length ? ` (seeds ${remeasured.join(', ')})` : ''}, slowest best CPU ${slowest.ms.toFixed(2)} ms (seed ${slowest.seed})`,
    );
    expect(findings).toBeGreaterThan(COUNT);
    expect(slowest.ms, `slowest analysis: seed ${slowest.seed} (${slowest.name})`).toBeLessThan(LIMIT_MS);
  }, 900_000);
});
