/**
 * How Ansible turns a keyword value into a number: FieldAttribute(isa='int') calls Python's int() after
 * templating, so 2.7 becomes 2, "7" becomes 7, "2.7" and "abc" fail at run time, YAML 1.1 `yes` is 1.
 * Templated values are only known at run time and are reported as such (never guessed).
 */
import type { Entry } from '../../runtime/playbook/model';

export type NumberValue =
  | { kind: 'absent' }
  | { kind: 'templated'; text: string }
  | { kind: 'number'; value: number; /** the written value when it was a float that int() truncated */ float?: number; fromString?: boolean }
  | { kind: 'invalid'; text: string };

const INT_TEXT = /^\s*[+-]?\d+(?:_\d+)*\s*$/;
const FLOAT_TEXT = /^\s*[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?\s*$/;

/** the value int() would produce, or why it cannot */
export function intValue(entry: Entry | undefined): NumberValue {
  if (!entry) return { kind: 'absent' };
  const v = entry.value;
  if (entry.templated) return { kind: 'templated', text: String(v) };
  if (v === null || v === undefined) return { kind: 'absent' };
  if (typeof v === 'boolean') return { kind: 'number', value: v ? 1 : 0 };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return { kind: 'invalid', text: String(v) };
    return Number.isInteger(v) ? { kind: 'number', value: v } : { kind: 'number', value: Math.trunc(v), float: v };
  }
  if (typeof v === 'string' && INT_TEXT.test(v)) return { kind: 'number', value: Number(v.replace(/_/g, '').trim()), fromString: true };
  return { kind: 'invalid', text: typeof v === 'string' ? v : JSON.stringify(v) ?? String(v) };
}

/** float() semantics (delay from 2.17.5) */
export function floatValue(entry: Entry | undefined): NumberValue {
  if (!entry) return { kind: 'absent' };
  const v = entry.value;
  if (entry.templated) return { kind: 'templated', text: String(v) };
  if (v === null || v === undefined) return { kind: 'absent' };
  if (typeof v === 'boolean') return { kind: 'number', value: v ? 1 : 0 };
  if (typeof v === 'number') return Number.isFinite(v) ? { kind: 'number', value: v } : { kind: 'invalid', text: String(v) };
  if (typeof v === 'string' && FLOAT_TEXT.test(v)) return { kind: 'number', value: Number(v.trim()), fromString: true };
  return { kind: 'invalid', text: typeof v === 'string' ? v : JSON.stringify(v) ?? String(v) };
}

/** a known number, or undefined when absent/templated/invalid */
export function knownInt(entry: Entry | undefined): number | undefined {
  const v = intValue(entry);
  return v.kind === 'number' ? v.value : undefined;
}

/** the words Ansible uses for a field in its "could not be converted" message (async is stored as async_val) */
export function fieldName(keyword: string): string {
  return keyword === 'async' ? 'async_val' : keyword;
}

/** "3,600" — numbers in messages are grouped like the inlay hints */
const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

export function num(n: number): string {
  // one formatter for all messages: toLocaleString builds a new one per call, which showed in large playbooks
  return GROUPED.format(n);
}
