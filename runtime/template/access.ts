/**
 * Attribute, item and slice access with Jinja's rules: `a.b` tries the attribute (so Python methods such
 * as dict.items win) then the item; `a['b']` tries the item first. Missing ones give an Undefined with
 * Jinja's hint; access on an Undefined returns it unchanged (Ansible's chained undefined).
 */
import { DICT_METHODS, LIST_METHODS, STR_METHODS, bindMethod } from './methods';
import { BoundMethod, isDict, num, objectTypeRepr, own, PyFloat, pyTypeName, Undefined, fail } from './values';

const PROTO_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Reads a key of a plain object (own or inherited through a vars chain), never Object.prototype members. */
export function readKey(obj: Record<string, unknown>, key: string): unknown {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (PROTO_NAMES.has(key)) {
    for (let o: object | null = obj; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
      if (own(o, key)) return v;
    }
    return undefined;
  }
  return v;
}

function missingAttr(obj: unknown, name: string, offset: number, end: number): Undefined {
  return new Undefined(`'${objectTypeRepr(obj)}' has no attribute '${name}'`, offset, end, name);
}

function missingElement(obj: unknown, index: unknown, offset: number, end: number): Undefined {
  const shown = typeof index === 'string' ? `'${index}'` : String(index);
  return new Undefined(`${objectTypeRepr(obj)} has no element ${shown}`, offset, end, String(index));
}

function methodOf(obj: unknown, name: string): BoundMethod | undefined {
  if (typeof obj === 'string') return STR_METHODS.has(name) ? bindMethod(obj, name) : undefined;
  if (Array.isArray(obj)) return LIST_METHODS.has(name) ? bindMethod(obj, name) : undefined;
  if (isDict(obj)) return DICT_METHODS.has(name) ? bindMethod(obj, name) : undefined;
  return undefined;
}

/** `obj.name` */
export function getAttr(obj: unknown, name: string, offset: number, end: number): unknown {
  if (obj instanceof Undefined) return obj;
  if (isDict(obj)) {
    if (DICT_METHODS.has(name)) return bindMethod(obj, name);
    const v = readKey(obj, name);
    return v === undefined ? missingAttr(obj, name, offset, end) : v;
  }
  if (obj === null || obj === undefined) return missingAttr(null, name, offset, end);
  const m = methodOf(obj, name);
  if (m) return m;
  if (obj instanceof PyFloat) {
    if (name === 'real') return obj;
    if (name === 'imag') return new PyFloat(0);
  }
  if (typeof obj === 'number' && (name === 'real' || name === 'numerator')) return obj;
  return missingAttr(obj, name, offset, end);
}

function normIndex(index: unknown): number | null {
  if (typeof index === 'number' && Number.isInteger(index)) return index;
  if (typeof index === 'boolean') return index ? 1 : 0;
  return null;
}

/** `obj[index]` */
export function getItem(obj: unknown, index: unknown, offset: number, end: number): unknown {
  if (obj instanceof Undefined) return obj;
  if (index instanceof Undefined) throw index.error();
  if (isDict(obj)) {
    const key = typeof index === 'string' ? index : typeof index === 'number' || typeof index === 'boolean' || index === null ? pyKey(index) : null;
    if (key !== null) {
      const v = readKey(obj, key);
      if (v !== undefined) return v;
      if (typeof index === 'string' && DICT_METHODS.has(index)) return bindMethod(obj, index);
    }
    return typeof index === 'string' ? missingAttr(obj, index, offset, end) : missingElement(obj, index, offset, end);
  }
  if (Array.isArray(obj) || typeof obj === 'string') {
    const i = normIndex(index);
    if (i === null) {
      if (typeof index === 'string') return methodOf(obj, index) ?? missingAttr(obj, index, offset, end);
      return missingElement(obj, index, offset, end);
    }
    if (typeof obj === 'string') {
      const chars = obj.length === [...obj].length ? null : [...obj];
      const len = chars ? chars.length : obj.length;
      const j = i < 0 ? len + i : i;
      if (j < 0 || j >= len) return missingElement(obj, index, offset, end);
      return chars ? chars[j] : obj[j];
    }
    const j = i < 0 ? obj.length + i : i;
    if (j < 0 || j >= obj.length) return missingElement(obj, index, offset, end);
    const v = obj[j];
    return v === undefined ? null : v;
  }
  if (typeof index === 'string') return getAttr(obj, index, offset, end);
  return missingElement(obj, index, offset, end);
}

/** Dict keys as JS sees them: YAML/JSON ints and bools become strings in plain objects */
export function pyKey(k: unknown): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'boolean') return k ? 'True' : 'False';
  if (k === null) return 'None';
  if (typeof k === 'number') return String(k);
  if (k instanceof PyFloat) return String(k.value);
  if (k instanceof Undefined) throw k.error();
  return fail(`unhashable type: '${pyTypeName(k)}'`);
}

function sliceIndex(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Undefined) throw v.error();
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'boolean') return num(v);
  return fail('slice indices must be integers or None or have an __index__ method');
}

/** `obj[start:stop:step]` with Python's clamping rules */
export function getSlice(obj: unknown, startV: unknown, stopV: unknown, stepV: unknown): unknown {
  if (obj instanceof Undefined) throw obj.error();
  const step = sliceIndex(stepV) ?? 1;
  if (step === 0) fail('slice step cannot be zero', 'runtime');
  let seq: unknown[];
  if (typeof obj === 'string') seq = [...obj];
  else if (Array.isArray(obj)) seq = obj;
  else return fail(`'${pyTypeName(obj)}' object is not subscriptable`);
  const len = seq.length;
  const clamp = (v: number | null, dflt: number, lo: number, hi: number): number => {
    if (v === null) return dflt;
    if (v < 0) v += len;
    return Math.min(Math.max(v, lo), hi);
  };
  const out: unknown[] = [];
  if (step > 0) {
    const start = clamp(sliceIndex(startV), 0, 0, len);
    const stop = clamp(sliceIndex(stopV), len, 0, len);
    for (let i = start; i < stop; i += step) out.push(seq[i]);
  } else {
    const start = clamp(sliceIndex(startV), len - 1, -1, len - 1);
    const stop = clamp(sliceIndex(stopV), -1, -1, len - 1);
    for (let i = start; i > stop; i += step) out.push(seq[i]);
  }
  return typeof obj === 'string' ? out.join('') : out;
}
