/**
 * Asks the installed ansible-core (Debian's package: /usr/bin/python3 with the `ansible` module) for
 * every shared oracle case and every probe, in both modes, and compares with this engine and with the
 * recorded files. Fails (does not skip) when ansible-core is missing: CI installs it (apt ansible-core).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jinjaTruthDir } from '../../shared';
import { outcome, type Case, type Outcome } from './outcome';
import { deliberateDifferences, probes, probeVars } from './probes';

const PYTHON = '/usr/bin/python3';
const harness = join(__dirname, 'ansible_templar.py');
const truth = join(__dirname, 'truth');
const oracle = JSON.parse(readFileSync(join(jinjaTruthDir, 'cases.json'), 'utf8')) as { vars: Record<string, unknown>; cases: Case[] };

function askAnsible(vars: Record<string, unknown>, cases: Case[], native: boolean): Record<string, Outcome> {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} not found: install Debian's ansible-core (apt-get install ansible-core)`);
  // HOME=/root: the shared oracle recorded lookup('env', 'HOME') as /root (Templar writes nothing there)
  const env = { ...process.env, ANSIBLE_JINJA2_NATIVE: native ? 'True' : 'False', HOME: '/root', ANSIBLE_LOCAL_TEMP: tmpdir(), ANSIBLE_NOCOLOR: '1' };
  try {
    const out = execFileSync(PYTHON, [harness], { input: JSON.stringify({ vars, cases }), env, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 120_000 });
    return JSON.parse(out) as Record<string, Outcome>;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`ansible-core could not be asked (is Debian's ansible-core installed?): ${err.stderr ?? err.message}`);
  }
}

for (const [mode, native] of [['native', true], ['string', false]] as const) {
  describe(`live ansible-core (${mode})`, () => {
    const fromAnsible = askAnsible(probeVars, probes, native);
    const fromOracleCases = askAnsible(oracle.vars, oracle.cases, native);

    it('recorded probe answers are current', () => {
      const recorded = JSON.parse(readFileSync(join(truth, `probes-${mode}.json`), 'utf8'));
      expect(fromAnsible).toEqual(recorded);
    });
    it('shared oracle agrees with the installed ansible-core', () => {
      const recorded = JSON.parse(readFileSync(join(jinjaTruthDir, native ? 'oracle-native.json' : 'oracle.json'), 'utf8'));
      expect(fromOracleCases).toEqual(recorded);
    });
    for (const p of probes) {
      const diff = deliberateDifferences[p.id];
      it(`${p.id}: ${p.src}${diff ? ` (deliberate difference: ${diff.why})` : ''}`, () => {
        if (diff) {
          expect(fromAnsible[p.id]).toEqual(diff.ansible);
          expect(outcome(p, probeVars, { native })).toEqual(diff.ours);
        } else expect(outcome(p, probeVars, { native })).toEqual(fromAnsible[p.id]);
      });
    }
  });
}
