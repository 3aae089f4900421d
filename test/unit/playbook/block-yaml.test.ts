/**
 * The block reader (runtime/playbook/block-yaml.ts) must build exactly what `yaml`'s full parser builds —
 * same node classes, values, scalar styles, formats and ranges — whenever it accepts a text, and must leave
 * everything else to `yaml`. Checked on every YAML file of the repository and the shared corpora, on
 * thousands of mutants of them, and on hand-written edge cases.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq } from 'yaml';
import { parseBlockYaml } from '../../../runtime/playbook/block-yaml';
import { parseYamlFully, YAML_OPTIONS } from '../../../runtime/playbook/yaml-nodes';
import { largePlaybook, SMALL_PLAYBOOK } from '../../../bench/lsp/playbooks';
import { corpus } from '../../fixtures/lsp/corpus';
import { mutate, rng } from '../../fixtures/lsp/mutate';
import { sharedDir } from '../../shared';

/** everything the model and the rules read from a node, as plain data */
function shape(node: unknown): unknown {
  if (node === null || node === undefined) return node;
  if (isScalar(node)) {
    const v = node.value;
    const value = v instanceof Date ? `date:${v.toISOString()}` : typeof v === 'number' && Number.isNaN(v) ? 'NaN' : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
    return { scalar: value, type: node.type, format: node.format ?? null, range: node.range };
  }
  if (isMap(node)) return { map: node.items.map((p) => [shape(p.key), shape(p.value)]), flow: !!node.flow, range: node.range };
  if (isSeq(node)) return { seq: node.items.map(shape), flow: !!node.flow, range: node.range };
  return { other: (node as object).constructor?.name };
}

/** true when the block reader accepted the text; throws (via expect) when it differs from `yaml` */
function agrees(name: string, text: string): boolean {
  const fast = parseBlockYaml(text, YAML_OPTIONS);
  if (!fast) return false;
  const full = parseYamlFully(text);
  expect(full.errors.map((e) => e.message), `${name}: accepted a text yaml reports errors for`).toEqual([]);
  expect(full.warnings.map((e) => e.message), `${name}: accepted a text yaml warns about`).toEqual([]);
  expect(shape(fast.contents), name).toEqual(shape(full.contents));
  expect(fast.toJS({ maxAliasCount: 1000 }), name).toEqual(full.toJS({ maxAliasCount: 1000 }));
  expect(fast.directives.docStart ?? null, name).toEqual(full.directives.docStart ?? null);
  return true;
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yamlFiles(path, out);
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

describe('block YAML reader', () => {
  it('agrees with yaml on every YAML file of the repository and the shared corpora', () => {
    const root = resolve(__dirname, '..', '..', '..');
    const files = [...new Set([...yamlFiles(join(root, 'test')), ...yamlFiles(join(root, 'demo')), ...yamlFiles(sharedDir)])];
    expect(files.length).toBeGreaterThan(40);
    let accepted = 0;
    for (const file of files) if (agrees(file, readFileSync(file, 'utf8'))) accepted++;
    // most playbooks are plain block YAML: the fast path is the common path
    expect(accepted).toBeGreaterThan(files.length / 3);
  });

  it('agrees with yaml on 2,000 mutants of the corpora', () => {
    const seeds = corpus();
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const text = mutate(seeds[i % seeds.length].text, rng(7000 + i));
      if (agrees(`mutant seed ${7000 + i}`, text)) accepted++;
    }
    expect(accepted).toBeGreaterThan(200);
  });

  it('agrees with yaml on 4,000 texts with YAML-significant characters inserted or deleted', () => {
    // indicators, quotes, escapes, comments, tabs, CR, BOM, NUL, Unicode line separators, typed scalars
    const pieces = [' ', '  ', '\n', '#', ' #', ':', ': ', '-', '- ', '"', "'", '\\', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '%', '@', '`', '?', '~',
      '\u2028', '\u0085', '\u00a0', '\u0000', '\t', '\r', '\uFEFF', '😀', 'é', 'yes', 'no', '0x1', '1e3', '.5', '0o7', '1:2', '2001-01-01', 'null', '<<', '---', '...', '=', '{{', '}}'];
    const seeds = corpus();
    let accepted = 0;
    for (let i = 0; i < 4000; i++) {
      const random = rng(99 + i);
      let text = seeds[i % seeds.length].text;
      for (let k = 1 + Math.floor(random() * 4); k > 0; k--) {
        const at = Math.floor(random() * text.length);
        const piece = pieces[Math.floor(random() * pieces.length)];
        text = random() < 0.8 ? text.slice(0, at) + piece + text.slice(at) : text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
      }
      if (agrees(`character mutant seed ${99 + i}`, text)) accepted++;
    }
    expect(accepted).toBeGreaterThan(400);
  });

  it('reads the benchmark playbooks itself (the 2,000-task one is why it exists)', () => {
    expect(agrees('large', largePlaybook(2000))).toBe(true);
    expect(agrees('small', SMALL_PLAYBOOK)).toBe(true);
  });

  it('agrees on scalars the YAML 1.1 schema types, quoting, empty values and layout', () => {
    const cases = [
      'a: yes\nb: no\nc: on\nd: off\ne: y\nf: n\ng: ~\nh: null\ni:\nj: 0644\nk: 0x1F\nl: 1_000\nm: 1.5\nn: .inf\no: -1\np: +3\nq: 1:20\nr: 2001-12-14\ns: 1e3\nt: 1.0e+3\nu: .5\n',
      'yes: 1\nno: 2\n1: x\non: 3\nnull: 4\n',
      "a: 'it''s'\nb: \"x {{ y }}\"\nc: ''\nd: \"\"\ne: 'a # b'\nf: \"c: d\"\n",
      'a: http://x/y  # comment\nb: c#d\nc: :x\nd: -x\ne: ?x\nf: a:b\ng: x - y\n',
      '---\n- a: 1\n  b:\n    - c\n    - d: 2\n      e: 3\n  f: {}\n  g: []\n- x\n-  y\n',
      '--- # start\n# lead\n\n- name: a\n  tasks:\n  - debug: msg=hi\n  # between\n  - name: b\n\n# trailing\n',
      '- name: a\n  vars:\n    x: 1\n  tasks:\n    - block:\n        - command: echo\n      rescue:\n        - debug:\n',
      'key: value\nother:\n  - 1\n  - 2\nthird:\n  nested: true\n',
      '- a: 1\n  t:\n    - b: 2\n      c: 3\n  # c2\n  u: 5\n',
      '- a: 1\n  t:\n    - b: 2\n      c: 3\n# c0\n- z: 9\n',
    ];
    for (const text of cases) expect(agrees(JSON.stringify(text), text), JSON.stringify(text)).toBe(true);
  });

  it('leaves everything outside its subset to yaml', () => {
    const refused = [
      'a: &x 1\nb: *x\n',
      'a: !unsafe "{{ x }}"\n',
      'a: |\n  line\n',
      'a: >\n  folded\n',
      'a: [1, 2]\n',
      'a: {b: 1}\n',
      'a: plain\n  continued\n',
      'a: "multi\n  line"\n',
      'a: "esc\\n"\n',
      'a:\tb\n',
      'a: b\r\n',
      '%YAML 1.1\n---\na: 1\n',
      'a: 1\n---\nb: 2\n',
      'a: 1\n  b: 2\n',
      '- a: 1\n   b: 2\n',
      '<<: {a: 1}\n',
      '"quoted key": 1\n',
      'a: b: c\n',
      '- - x\n',
      'just a scalar\n',
      '',
      '# only a comment\n',
      'a:  # comment\n  b: 1\n',
      '- a: 1\n  t:\n    - b: 2\n      c: 3\n      # deeper than what follows\n- z: 9\n',
    ];
    for (const text of refused) {
      expect(parseBlockYaml(text, YAML_OPTIONS), JSON.stringify(text)).toBeUndefined();
    }
  });
});
