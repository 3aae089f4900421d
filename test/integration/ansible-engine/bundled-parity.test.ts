/**
 * Differences `npm run conformance` found between the bundled engine and ansible-core 2.14, pinned here so the
 * fixes hold without running ansible-playbook: keywords ansible-core does not inherit (`async` on import_tasks,
 * truth case 14) and the keys a registered result has (truth cases 12, 16, 23, 25, 26, 29, 34).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledEngine } from '../../../runtime/engines/bundled';
import { withRunDefaults } from '../../../runtime/engines/defaults';
import { EventEmitter } from '../../../runtime/events/emitter';
import type { RunEvent } from '../../../runtime/events/types';
import { sshd } from '../../host/sshd';
import { ansibleInventory, ofType } from './harness';

async function runBundled(files: Record<string, string>): Promise<{ rc: number; events: RunEvent[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'ps-bundled-parity-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const events: RunEvent[] = [];
  const emitter = new EventEmitter('parity', (event) => events.push(event));
  const rc = await bundledEngine.run(
    withRunDefaults(
      { playbook: join(dir, 'playbook.yml'), inventories: [ansibleInventory(dir)], events: emitter, signal: new AbortController().signal },
      { coreVersion: '2.14', hostKeyPolicy: 'strict', knownHosts: sshd().knownHosts },
    ),
  );
  return { rc, events };
}

/** key names of each value a debug `msg` dict printed, e.g. { r: ['changed', 'msg'] } */
function keysShown(events: RunEvent[], task: string): Record<string, string[]> {
  const ok = ofType(events, 'runner_on_ok').find((e) => e.task === task);
  expect(ok, `no result for ${task}`).toBeDefined();
  const msg = ok!.result.msg as Record<string, Record<string, unknown>>;
  return Object.fromEntries(Object.entries(msg).map(([name, value]) => [name, Object.keys(value).sort()]));
}

describe('bundled engine: parity fixes found by conformance', () => {
  it('ignores async/poll on import_tasks: the imported task runs synchronously (truth case 14)', async () => {
    const run = await runBundled({
      'playbook.yml': '- hosts: h1\n  gather_facts: false\n  tasks:\n    - name: import with async\n      import_tasks: inc.yml\n      async: 10\n      poll: 0\n',
      'inc.yml': '- name: imported\n  command: echo inside\n  register: r\n- name: show\n  debug:\n    msg: "{{ r.stdout }} {{ r.ansible_job_id | default(\'no job\') }}"\n',
    });
    expect(run.rc).toBe(0);
    expect(ofType(run.events, 'job_started')).toHaveLength(0);
    expect(ofType(run.events, 'runner_on_ok').find((e) => e.task === 'show')?.result.msg).toBe('inside no job');
  });

  it('registers results with exactly the keys ansible-core gives them', async () => {
    const run = await runBundled({
      'playbook.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - name: loop
      command: echo {{ item }}
      loop: [1, 2]
      register: looped
    - name: bad delay
      command: "true"
      register: bad_delay
      until: false
      retries: 1
      delay: x
      ignore_errors: true
    - name: assert on an undefined variable
      assert:
        that: nosuchvar == 1
      register: undefined_assert
      ignore_errors: true
    - name: script skipped by creates
      script: s.sh
      args:
        creates: /
      register: skipped_script
    - name: async on an action that cannot run async
      set_fact:
        z: 1
      async: 10
      register: unsupported_async
      ignore_errors: true
    - name: summary
      debug:
        msg:
          unsupported_async: "{{ unsupported_async }}"
          looped: "{{ looped }}"
          bad_delay: "{{ bad_delay }}"
          undefined_assert: "{{ undefined_assert }}"
          skipped_script: "{{ skipped_script }}"
`,
      's.sh': '#!/bin/sh\necho never\n',
    });
    expect(run.rc).toBe(0);
    expect(keysShown(run.events, 'summary')).toEqual({
      looped: ['changed', 'msg', 'results', 'skipped'],
      bad_delay: ['failed', 'msg'],
      undefined_assert: ['failed', 'msg'],
      skipped_script: ['changed', 'failed', 'msg', 'skipped'],
      unsupported_async: ['changed', 'exception', 'failed', 'msg'],
    });
  });
});
