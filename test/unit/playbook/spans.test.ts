/** Spans point at what the user wrote: keys, values, free-form options, the task's first line; YAML errors too. */
import { describe, expect, it } from 'vitest';
import { createSourceFile, parsePlaybook, spanLines, type SourceFile, type Span } from '../../../runtime/playbook';

const text = [
  '- name: spans', //                                  line 1
  '  hosts: all', //                                    line 2
  '  tasks:', //                                        line 3
  '    - name: launch', //                              line 4
  '      ansible.builtin.command: sleep 10 chdir=/tmp', // line 5
  '      async: 30', //                                 line 6
  '      poll: 0', //                                   line 7
  '      register: job', //                             line 8
  '', //                                                line 9
  '    - name: "wait"', //                              line 10
  '      async_status:', //                             line 11
  '        jid: "{{ job.ansible_job_id }}"', //         line 12
  '      retires: 3', //                                line 13
  '',
].join('\n');

function at(file: SourceFile, span: Span): string {
  return file.text.slice(span.start, span.end);
}

function pos(file: SourceFile, offset: number): [number, number] {
  const p = file.position(offset);
  return [p.line + 1, p.character + 1];
}

describe('spans', () => {
  const playbook = parsePlaybook('/tmp/spans.yml', text);
  const [launch, wait] = playbook.plays[0].tasks;

  it('keys and values of keywords', () => {
    expect(at(playbook.file, launch.keywords.async.keySpan)).toBe('async');
    expect(pos(playbook.file, launch.keywords.async.keySpan.start)).toEqual([6, 7]);
    expect(at(playbook.file, launch.keywords.async.valueSpan)).toBe('30');
    expect(pos(playbook.file, launch.keywords.async.valueSpan.start)).toEqual([6, 14]);
    expect(at(playbook.file, wait.args.jid.valueSpan)).toBe('"{{ job.ansible_job_id }}"');
  });

  it('the module key, the free-form text and a k=v option inside it', () => {
    expect(at(playbook.file, launch.actionSpan!)).toBe('ansible.builtin.command');
    expect(at(playbook.file, launch.freeForm!.valueSpan)).toBe('sleep 10');
    expect(at(playbook.file, launch.args.chdir.keySpan)).toBe('chdir');
    expect(at(playbook.file, launch.args.chdir.valueSpan)).toBe('/tmp');
  });

  it('head span is the first line of the task, without the dash', () => {
    expect(at(playbook.file, launch.headSpan)).toBe('name: launch');
    expect(pos(playbook.file, launch.headSpan.start)).toEqual([4, 7]);
    expect(at(playbook.file, wait.headSpan)).toBe('name: "wait"');
    expect(wait.name).toBe('wait');
  });

  it('the task span covers the whole mapping', () => {
    expect(pos(playbook.file, launch.span.start)).toEqual([4, 7]);
    expect(at(playbook.file, launch.span).trimEnd().endsWith('register: job')).toBe(true);
  });

  it('unknown keys keep their spans (for did-you-mean)', () => {
    expect(wait.unknownKeys.map((k) => [k.key, pos(playbook.file, k.keySpan.start)])).toEqual([['retires', [13, 7]]]);
  });

  it('problems point at the task line like Ansible (line, column of the task)', () => {
    const p = playbook.problems.find((x) => x.code === 'conflicting-action')!;
    expect(p.message).toBe('conflicting action statements: async_status, retires');
    expect(pos(playbook.file, p.span.start)).toEqual([10, 7]);
    expect(spanLines(playbook.file, p.span)).toEqual({ line: 10, column: 7, endLine: 10, endColumn: 19 });
  });
});

describe('YAML errors', () => {
  it('a syntax error has a position and the rest of the model survives', () => {
    const bad = '- hosts: all\n  tasks:\n    - command: "unterminated\n    - ping:\n';
    const playbook = parsePlaybook('/tmp/bad.yml', bad);
    const errors = playbook.problems.filter((p) => p.code === 'yaml-syntax');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0].message).not.toMatch(/\n/);
    const [line] = pos(playbook.file, errors[0].span.start);
    expect(line).toBeGreaterThanOrEqual(3);
    expect(playbook.plays).toHaveLength(1);
  });

  it('bad indentation is an error at the offending line', () => {
    const bad = '- hosts: all\n  tasks:\n    - name: a\n      command: x\n     retries: 3\n';
    const playbook = parsePlaybook('/tmp/bad.yml', bad);
    const error = playbook.problems.find((p) => p.code === 'yaml-syntax')!;
    expect(error).toBeDefined();
    expect(pos(playbook.file, error.span.start)[0]).toBe(5);
  });

  it('tab indentation and multiple documents are errors, not crashes', () => {
    expect(parsePlaybook('/tmp/t.yml', '- hosts: all\n\ttasks: []\n').problems.some((p) => p.severity === 'error')).toBe(true);
    expect(parsePlaybook('/tmp/t.yml', '- hosts: a\n---\n- hosts: b\n').problems.some((p) => p.code === 'yaml-syntax')).toBe(true);
  });

  it('never throws on arbitrary text', () => {
    const samples = ['{', '- [', ': :', '- hosts: *x', '- &a [*a]', '\u0000', '- hosts: all\n  tasks:\n    - block: 3', '- hosts: all\n  roles: 3', '- 1\n- null\n- []'];
    for (const s of samples) expect(() => parsePlaybook('/tmp/x.yml', s)).not.toThrow();
  });
});

describe('source file', () => {
  it('converts offsets and lines both ways, CRLF and CR included', () => {
    const f = createSourceFile('/x', 'ab\r\ncd\ref\n');
    expect(f.position(0)).toEqual({ line: 0, character: 0 });
    expect(f.position(4)).toEqual({ line: 1, character: 0 });
    expect(f.position(7)).toEqual({ line: 2, character: 0 });
    expect(f.offset(2, 1)).toBe(8);
    expect(f.lineCount).toBe(4);
    expect(f.position(999)).toEqual({ line: 3, character: 0 });
  });
});
