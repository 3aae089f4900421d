/**
 * Templated values are known only at run time: no value rule may guess. When the play defines the variable
 * (or the template has a default), the value is used, the same way the budgets use it.
 */
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/analysis/analyze';
import { normalizeSettings } from '../../../server/analysis/settings';

const VALUE_RULES = ['async-unsupported', 'poll-without-async', 'poll-exceeds-async', 'poll0-without-register', 'bad-int-value', 'float-value', 'negative-value', 'async-join-too-short', 'until-on-async', 'launch-result-field', 'job-never-joined'];

function codes(text: string, version = '2.19'): string[] {
  return analyzeText('/t/play.yml', text, { settings: normalizeSettings({ ansibleCoreVersion: version }) }).findings.map((f) => f.code);
}

describe('templated values', () => {
  it('unknown templates: no value finding at all', () => {
    const text = `- hosts: all
  tasks:
    - name: print
      debug:
        msg: hi
      async: "{{ a }}"
      poll: "{{ p }}"
    - name: sync or not
      command: sleep 1
      async: "{{ a }}"
      poll: 5
    - name: launch maybe
      command: /opt/long
      async: "{{ limit }}"
      poll: 0
      register: job
      until: job.finished
      failed_when: job.rc != 0
    - name: join
      async_status:
        jid: "{{ job.ansible_job_id }}"
      register: r
      until: r.finished
      retries: "{{ n }}"
      delay: "{{ d }}"
`;
    for (const version of ['2.14', '2.19']) expect(codes(text, version).filter((c) => VALUE_RULES.includes(c))).toEqual([]);
  });

  it('templates the play resolves are used', () => {
    const text = `- hosts: all
  vars:
    limit: 1000
  tasks:
    - name: print
      debug:
        msg: hi
      async: "{{ limit }}"
    - name: launch
      command: /opt/long
      async: "{{ limit }}"
      poll: 0
      register: job
    - name: join
      async_status:
        jid: "{{ job.ansible_job_id }}"
      register: r
      until: r.finished
      retries: "{{ tries | default(30) }}"
`;
    const found = codes(text);
    expect(found).toContain('async-unsupported');
    expect(found).toContain('async-join-too-short');
  });
});
