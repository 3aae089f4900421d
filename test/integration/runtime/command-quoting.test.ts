import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { remoteScratch, resultOf, runPlaybook } from './helpers';

describe('command quoting', () => {
  it('passes $(...), backticks, quotes and newlines to the program literally: nothing runs', async () => {
    const dir = remoteScratch('quoting');
    mkdirSync(dir, { recursive: true });
    const hostile = [`$(touch ${dir}/p1)`, `\`touch ${dir}/p2\``, `'; touch ${dir}/p3; '`, `"; touch ${dir}/p4; "`, `x\ntouch ${dir}/p5`, `$HOME&&touch ${dir}/p6|cat>${dir}/p7`];
    const playbook = `
- hosts: all
  gather_facts: false
  tasks:
    - name: argv form
      command:
        argv: ${JSON.stringify(['printf', '%s|', ...hostile])}
      register: a
    - name: free form with shell syntax
      command: printf '%s|' '$(touch ${dir}/p8)' "\`touch ${dir}/p9\`" ;touch ${dir}/p10
    - name: chdir and creates with hostile paths
      command:
        argv: [pwd]
        chdir: "/tmp"
        creates: "${dir}/nothing$(touch ${dir}/p11)"
`;
    const outcome = await runPlaybook({ playbook });
    expect(outcome.rc, outcome.out + outcome.err).toBe(0);
    const argv = resultOf(outcome, 'argv form');
    expect(argv.result.stdout).toBe(hostile.join('|') + '|');
    const free = resultOf(outcome, 'free form with shell syntax');
    expect(free.result.stdout).toBe(`$(touch ${dir}/p8)|\`touch ${dir}/p9\`|;touch|${dir}/p10|`);
    expect(resultOf(outcome, 'chdir and creates with hostile paths').result.stdout).toBe('/tmp');
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(`${dir}/p1`)).toBe(false);
  });
});
