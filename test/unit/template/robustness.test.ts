/**
 * Bad input gets a TemplateError, never another exception or a hang: random token soups (seeded, so the
 * run is reproducible) through compile, render, conditionals and analysis.
 */
import { describe, expect, it } from 'vitest';
import { analyzeExpression, analyzeTemplate, compileTemplate, evaluateConditional, TemplateError } from '../../../runtime/template';

const PIECES = [
  '{{', '}}', '{%', '%}', '{#', '#}', '{%-', '-%}', ' ', 'x', 'y.z', '[', ']', '(', ')', '{', '}', ',', ':', '|', 'default', 'length',
  'is', 'not', 'defined', 'in', 'if', 'else', 'endif', 'for', 'endfor', 'set', '=', '==', '+', '-', '*', '/', '//', '%', '**', '~',
  "'s'", '"t"', '1', '2.5', 'true', 'None', 'and', 'or', 'raw', 'endraw', 'loop.index', 'items()', '.', '\\', "'", '"', '\n', 'range(3)',
  "lookup('env', 'HOME')", 'map', "attribute='a'", 'select', 'version', "('1', '<')", 'with', 'endwith', 'namespace()',
];

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const vars = { x: [1, 2], y: { z: 'v' }, items: { a: 1 } };

function onlyTemplateErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.end).toBeGreaterThanOrEqual(e.offset);
    expect(e.message.length).toBeGreaterThan(0);
  }
}

describe('robustness', () => {
  it('random token soups only ever raise TemplateError, with sane spans', () => {
    const rand = prng(20261129);
    for (let n = 0; n < 1000; n++) {
      const count = 1 + Math.floor(rand() * 12);
      let src = '';
      for (let i = 0; i < count; i++) src += PIECES[Math.floor(rand() * PIECES.length)] + (rand() < 0.5 ? ' ' : '');
      onlyTemplateErrors(() => compileTemplate(src).render(vars));
      onlyTemplateErrors(() => compileTemplate(src, { native: false }).render(vars));
      onlyTemplateErrors(() => evaluateConditional(src, vars));
      const a = analyzeTemplate(src);
      const b = analyzeExpression(src);
      for (const e of [...a.errors, ...b.errors]) {
        expect(e.end).toBeLessThanOrEqual(src.length);
        expect(e.offset).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('deep nesting fails cleanly instead of overflowing', () => {
    const deep = '{{ ' + '('.repeat(20000) + '1' + ')'.repeat(20000) + ' }}';
    onlyTemplateErrors(() => compileTemplate(deep).render({}));
    const a = analyzeTemplate(deep);
    expect(a.errors.length + a.variables.length).toBeGreaterThanOrEqual(0);
  });

  it('self-referencing data is reported, not looped over forever', () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    onlyTemplateErrors(() => compileTemplate('{{ d | to_json }}').render({ d: loop }));
    expect(() => compileTemplate('{{ d | to_json }}').render({ d: loop })).toThrow(TemplateError);
  });
});
