/** setup / gather_facts: the shell probe's facts as ansible_facts (filtered by `filter:` globs). */
import type { TaskResult } from '../events/types';
import { FACTS_PROBE, parseFacts } from '../facts/probe';
import { fail, runScript } from './common';
import type { ModuleImplementation } from './types';
import { setupRemoteScript } from './setup-script';

export const setupModule: ModuleImplementation = {
  name: 'setup',
  aliases: ['gather_facts', 'ansible.builtin.gather_facts', 'ansible.legacy.gather_facts'],
  remoteScript: setupRemoteScript,
  async run(context): Promise<TaskResult> {
    const res = await runScript(context, FACTS_PROBE);
    if (res.rc !== 0 && !res.stdout) return fail(`fact probe failed (rc ${res.rc}): ${res.stderr.trim()}`);
    let facts = parseFacts(res.stdout);
    const filters = context.args.filter;
    if (filters !== undefined && filters !== null && filters !== '') {
      const list = (Array.isArray(filters) ? filters : [filters]).map((f) => new RegExp('^' + String(f).replace(/^ansible_/, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$'));
      facts = Object.fromEntries(Object.entries(facts).filter(([k]) => list.some((re) => re.test(k))));
    }
    const prefixed: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(facts)) prefixed[`ansible_${key}`] = value;
    prefixed.gather_subset = ['all'];
    prefixed.module_setup = true;
    return { changed: false, ansible_facts: prefixed };
  },
};
