import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../runtime/events/types';
import { compareRuns, sameCheckCount } from '../../conformance/compare';
import { modulesOf } from '../../conformance/corpus';
import { explain, readDocumented } from '../../conformance/documented';
import { normaliseText, shapeOf, summarise } from '../../conformance/outcomes';

let seq = 0;
const ev = (e: Record<string, unknown>): RunEvent => ({ seq: ++seq, time: '2026-01-01T00:00:00Z', run: 'r', ...e }) as unknown as RunEvent;

function stream(opts: { polls: number; msg: string; failedInt: boolean; rc: number }): RunEvent[] {
  const polls = Array.from({ length: opts.polls }, (_, i) =>
    ev({ event: 'runner_on_async_poll', taskId: 't1', task: 'wait', host: 'h1', jid: `j${100000 + i}.1`, started: 1, finished: 0 }),
  );
  return [
    ev({ event: 'playbook_on_play_start', play: 'p', playId: 'p1', hosts: ['h1'] }),
    ev({ event: 'playbook_on_task_start', play: 'p', playId: 'p1', task: 'wait', taskId: 't1', action: 'command' }),
    ...polls,
    ev({ event: 'runner_on_failed', taskId: 't1', task: 'wait', host: 'h1', result: { msg: opts.msg, rc: 3 }, changed: true }),
    ev({ event: 'playbook_on_task_start', play: 'p', playId: 'p1', task: 'show', taskId: 't2', action: 'ansible.builtin.debug' }),
    ev({ event: 'runner_on_ok', taskId: 't2', task: 'show', host: 'h1', result: { job: { failed: opts.failedInt ? 0 : false, jid: 'j123456789.42' } } }),
    ev({ event: 'playbook_on_stats', stats: { h1: { ok: 1, changed: 0, unreachable: 0, failed: 1, skipped: 0, rescued: 0, ignored: 0 } }, rc: opts.rc }),
  ];
}

describe('conformance harness', () => {
  it('summarises per task and host, normalising job ids, timestamps and run folders', () => {
    const summary = summarise(stream({ polls: 2, msg: 'failed in /tmp/w1/x at 2026-01-02 03:04:05.123456 (j1234567.99)', failedInt: true, rc: 2 }), [['/tmp/w1', '<CASE>']]);
    const wait = summary.outcomes.get('play1 wait @h1')!;
    expect(wait).toMatchObject({ status: 'failed', changed: true, polls: 2, message: 'failed in <CASE>/x at <TS> (<JID>)' });
    expect(summary.outcomes.get('play1 show @h1')!.shape).toBe('{job:{failed:int,jid:str}}');
    expect(shapeOf({ a: [1, 'x', 2] })).toBe('{a:[int|str]}');
    expect(normaliseText('took 0:00:01.002 on j99999999.1', [])).toBe('took <DELTA> on <JID>');
  });

  it('tolerates one poll of timing but not a different type, message or exit code', () => {
    const base = summarise(stream({ polls: 2, msg: 'boom', failedInt: true, rc: 2 }), []);
    const nearby = summarise(stream({ polls: 3, msg: 'boom', failedInt: true, rc: 2 }), []);
    expect(compareRuns('c', { rc: 2, summary: base }, { rc: 2, summary: nearby }, () => false).differences).toEqual([]);

    const other = summarise(stream({ polls: 5, msg: 'bang', failedInt: false, rc: 4 }), []);
    const fields = compareRuns('c', { rc: 4, summary: other }, { rc: 2, summary: base }, () => false).differences.map((d) => `${d.where}:${d.field}`);
    expect(fields).toEqual(['run:rc', 'play1 wait @h1:polls', 'play1 wait @h1:message', 'play1 show @h1:shape']);
  });

  it('lets ansible-playbook see fewer status checks than the bundled engine (load slows its checks), never more', () => {
    expect(sameCheckCount(0, 2)).toBe(true);
    expect(sameCheckCount(3, 2)).toBe(true);
    expect(sameCheckCount(4, 2)).toBe(false);
    expect(sameCheckCount(undefined, 2)).toBe(false);
    const slowAnsible = summarise(stream({ polls: 0, msg: 'boom', failedInt: true, rc: 2 }), []);
    const bundled = summarise(stream({ polls: 4, msg: 'boom', failedInt: true, rc: 2 }), []);
    expect(compareRuns('c', { rc: 2, summary: slowAnsible }, { rc: 2, summary: bundled }, () => true).differences).toEqual([]);
    expect(compareRuns('c', { rc: 2, summary: bundled }, { rc: 2, summary: slowAnsible }, () => true).differences.map((d) => d.field)).toEqual(['polls']);
  });

  it('normalises run folders in the keys of a shape (find reports skipped_paths keyed by path)', () => {
    const roots: [string, string][] = [['/home/t/conformance/run1/case/ansible', '<SCRATCH>']];
    expect(shapeOf({ skipped_paths: { '/home/t/conformance/run1/case/ansible/nope': 'x' } }, roots)).toBe('{skipped_paths:{<SCRATCH>/nope:str}}');
  });

  it('reads deliberate differences from the docs table and matches them with wildcards', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-conformance-docs-'));
    const doc = join(dir, 'conformance.md');
    writeFileSync(doc, 'intro\n<!-- conformance:differences:start -->\n| case | task | field | reason |\n|---|---|---|---|\n| 0*-async* | wait* | polls | timing |\n<!-- conformance:differences:end -->\n| x | y | z | outside |\n');
    const rows = readDocumented(doc);
    expect(rows).toEqual([{ caseGlob: '0*-async*', taskGlob: 'wait*', field: 'polls', reason: 'timing' }]);
    const difference = { caseId: '02-async-poll', where: 'play1 wait @h1', task: 'wait for it', host: 'h1', field: 'polls' as const, ansible: '2', bundled: '5' };
    expect(explain(difference, rows)).toBe('timing');
    expect(explain({ ...difference, field: 'message' }, rows)).toBeUndefined();
    expect(explain({ ...difference, caseId: '12-async' }, rows)).toBeUndefined();
  });

  it('finds the modules of a playbook, including blocks and static includes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-conformance-mods-'));
    writeFileSync(join(dir, 'inc.yml'), '- ansible.builtin.slurp: { src: /etc/hostname }\n');
    writeFileSync(
      join(dir, 'playbook.yml'),
      '- hosts: all\n  tasks:\n    - name: b\n      block:\n        - command: "true"\n      rescue:\n        - ansible.builtin.debug: msg=x\n    - include_tasks: inc.yml\n      when: true\n  handlers:\n    - name: h\n      ansible.legacy.shell: "true"\n',
    );
    expect(modulesOf(join(dir, 'playbook.yml'))).toEqual(['command', 'debug', 'include_tasks', 'shell', 'slurp']);
  });
});
