/**
 * Records what the installed ansible-core answers for every probe (truth/probes-native.json and
 * truth/probes-string.json). Run after adding probes:
 *   node scripts/run-ts.mjs test/unit/template/record-probes.ts
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { probes, probeVars } from './probes';

const dir = join(process.cwd(), 'test', 'unit', 'template');
const input = JSON.stringify({ vars: probeVars, cases: probes });
for (const native of [true, false]) {
  const env = { ...process.env, ANSIBLE_JINJA2_NATIVE: native ? 'True' : 'False', HOME: '/root' };
  const out = execFileSync('/usr/bin/python3', [join(dir, 'ansible_templar.py')], { input, env, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
  const file = join(dir, 'truth', `probes-${native ? 'native' : 'string'}.json`);
  writeFileSync(file, JSON.stringify(JSON.parse(out), null, 1) + '\n');
  console.log(`wrote ${file}`);
}
