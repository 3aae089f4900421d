/**
 * Every case recorded from real ansible-core (truth/cases.json, copied from shared/truth/jinja) against
 * what Ansible returned: oracle-native.json (jinja2_native, the engine's default) and oracle.json (2.14
 * string results, `native: false`). With `coreVersion: '2.19'` the differences are listed one by one
 * below with the reason; nothing is skipped silently.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jinjaTruthDir } from '../../shared';
import type { TemplateOptions } from '../../../runtime/template';
import { outcome, type Case, type Outcome } from './outcome';

const dir = jinjaTruthDir;
const load = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const { vars, cases } = load('cases.json') as { vars: Record<string, unknown>; cases: Case[] };
const oracleNative = load('oracle-native.json') as Record<string, Outcome>;
const oracleString = load('oracle.json') as Record<string, Outcome>;

const run = (c: Case, options: TemplateOptions): Outcome => outcome(c, vars, options);

// `lookup('env', 'HOME')` was recorded with HOME=/root; the lookup reads this process's environment.
const savedHome = process.env.HOME;
beforeAll(() => {
  process.env.HOME = '/root';
});
afterAll(() => {
  process.env.HOME = savedHome;
});

describe('jinja oracle: ansible-core jinja2_native (default options)', () => {
  it('has all 118 cases', () => {
    expect(cases).toHaveLength(118);
    expect(Object.keys(oracleNative).sort()).toEqual(cases.map((c) => c.id).sort());
  });
  for (const c of cases) {
    it(`${c.id}: ${c.src}`, () => {
      expect(run(c, {})).toEqual(oracleNative[c.id]);
    });
  }
});

describe('jinja oracle: ansible-core 2.14 string results (native: false)', () => {
  for (const c of cases) {
    it(`${c.id}: ${c.src}`, () => {
      expect(run(c, { native: false })).toEqual(oracleString[c.id]);
    });
  }
});

/**
 * ansible-core 2.19 differs from the recorded jinja2_native behaviour where the oracle relies on two
 * things 2.19 removed (SEMANTICS.md, 2.19 row): the literal_eval of rendered text, and non-boolean
 * conditionals. Each difference and the 2.19 result:
 */
const DIFFERENCES_219: Record<string, { why: string; expected: Outcome }> = {
  finished: {
    why: '2.19 conditionals must be boolean; the recorded async result has finished: 1 (an int, as 2.14-2.18 wrote it)',
    expected: { error: "AnsibleError: Conditional result (True) was derived from value of type 'int' at 'update_result.finished'. Conditionals must have a boolean result." },
  },
  'two-exprs': {
    why: '2.19 joins multi-part templates as text; jinja2_native literal_eval turned "11" into the int 11',
    expected: { value: '11', type: 'str' },
  },
  'f-quote': {
    why: "jinja2_native literal_eval'd the shell-quoted text and re-added outer quotes; 2.19 keeps the filter's string",
    expected: { value: `'it'"'"'s'`, type: 'str' },
  },
};

describe('jinja oracle: coreVersion 2.19', () => {
  for (const c of cases) {
    const diff = DIFFERENCES_219[c.id];
    it(`${c.id}${diff ? ' (differs: ' + diff.why + ')' : ''}`, () => {
      expect(run(c, { coreVersion: '2.19' })).toEqual(diff ? diff.expected : oracleNative[c.id]);
    });
  }
});
