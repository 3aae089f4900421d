/**
 * Offsets inside YAML scalars: for every style `yaml` can write (plain, quoted, block, folded at a short
 * line width), the mapped value equals what the YAML parser reads, and each ordinary character maps to
 * the same character in the source.
 */
import { describe, expect, it } from 'vitest';
import { isScalar, parseDocument, stringify, visit, type Scalar } from 'yaml';
import { analyzeTemplate, lineIndentAt, scalarOffsets } from '../../../runtime/template';

function scalarsOf(text: string): { node: Scalar; raw: string; start: number; indent: number }[] {
  const out: { node: Scalar; raw: string; start: number; indent: number }[] = [];
  visit(parseDocument(text), {
    Scalar(_k, node) {
      if (isScalar(node) && typeof node.value === 'string' && node.range) out.push({ node, raw: text.slice(node.range[0], node.range[1]), start: node.range[0], indent: lineIndentAt(text, node.range[0]) });
    },
  });
  return out;
}

function checkMapping(raw: string, value: string, indent: number): void {
  const m = scalarOffsets(raw, indent);
  expect(m.value).toBe(value);
  for (let i = 0; i < value.length; i++) {
    if (/[A-Za-z0-9{}|_]/.test(value[i])) expect(raw[m.at(i)], `offset ${i} of ${JSON.stringify(raw)}`).toBe(value[i]);
  }
}

const samples = [
  '{{ job.ansible_job_id }}',
  "{{ it's | default('x') }} and \"quotes\"",
  'tab\there {{ a }} é ü \u2028 done',
  'a long line {{ with_a_variable | some_filter(1, 2) }} that has to be folded {{ because.it.is | long }} more words',
  'multi\nline {{ x }}\n\n  indented {{ y }}\nend',
  '  leading and trailing spaces {{ z }}  ',
  'back\\slash {{ "a\\\\b" }}',
];

describe('scalar offsets', () => {
  for (const type of ['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'] as const) {
    it(`${type} scalars written by yaml`, () => {
      for (const sample of samples) {
        for (const lineWidth of [0, 30]) {
          const text = stringify({ key: sample, list: [sample] }, { defaultStringType: type, lineWidth, minContentWidth: 10 });
          // compared with what the parser reads (yaml does not round-trip every sample in every style)
          const found = scalarsOf(text).filter((s) => s.node.value !== 'key' && s.node.value !== 'list');
          expect(found.length, text).toBe(2);
          for (const s of found) checkMapping(s.raw, s.node.value as string, s.indent);
        }
      }
    });
  }

  it('underlines a template error where it was written', () => {
    const text = 'msg: "Hello \\"{{ name | nosuch }}\\"\n  and {{ x }}"\n';
    const [, s] = scalarsOf(text);
    const a = analyzeTemplate(s.node.value as string);
    const m = scalarOffsets(s.raw);
    const e = a.errors[0];
    expect(text.slice(s.start + m.at(e.offset), s.start + m.at(e.end))).toBe('nosuch');
  });
});
