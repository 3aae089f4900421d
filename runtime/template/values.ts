/**
 * Python value semantics over plain JS values.
 *
 * Mapping: None = null, bool = boolean, str = string, list/tuple = array, dict = plain object,
 * int = integral JS number, float = non-integral JS number or a PyFloat box. The box exists only so an
 * integral float (3.0, `1.0 | type_debug`) keeps its type inside the engine: results handed back to
 * callers are unboxed to plain numbers (see `toPlain`). Values from the caller are never copied.
 */
import { TemplateError } from './errors';

/** A Python float whose value happens to be integral (3.0); other floats are plain non-integral numbers. */
export class PyFloat {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

export function makeFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

/**
 * An undefined variable or attribute. Ansible's undefined chains: attribute/item access on it yields
 * itself, and any other use raises the error it describes.
 */
export class Undefined {
  constructor(
    /** Jinja's hint, e.g. "'x' is undefined" or "'dict object' has no attribute 'y'" */
    readonly message: string,
    readonly offset: number,
    readonly end: number,
    /** the variable name when a plain variable was missing (for `mandatory`) */
    readonly name?: string,
    /** the result of `a if b` without else: prints as '' like Jinja's default Undefined */
    readonly silent = false,
  ) {}
  error(): TemplateError {
    return new TemplateError('undefined', this.message, this.offset, this.end);
  }
}

/** A Python callable bound to its receiver (dict.items, str.split, ...), when not called immediately. */
export class BoundMethod {
  constructor(
    readonly name: string,
    readonly call: (args: unknown[], kwargs: Record<string, unknown> | null) => unknown,
  ) {}
}

/**
 * A Python tuple: an array that prints as (1, 2) and reports type 'tuple'. Array methods on it
 * (map, slice, ...) give plain arrays, as Python's list operations give lists.
 */
export class PyTuple extends Array<unknown> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

export function tuple(items: readonly unknown[]): unknown[] {
  const t = new PyTuple();
  for (let i = 0; i < items.length; i++) t.push(items[i]);
  return t;
}

export type Dict = Record<string, unknown>;

export function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PyFloat) && !(v instanceof Undefined) && !(v instanceof BoundMethod);
}

export function isNumber(v: unknown): v is number | PyFloat {
  return typeof v === 'number' || v instanceof PyFloat;
}

export function isFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

export function num(v: number | PyFloat | boolean): number {
  return typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : v.value;
}

const hasOwn = Object.prototype.hasOwnProperty;
export function own(obj: object, key: string): boolean {
  return hasOwn.call(obj, key);
}

/** Python type name (`type(x).__name__`), as `type_debug` prints it. */
export function pyTypeName(v: unknown): string {
  if (v === null) return 'NoneType';
  if (v instanceof Undefined) return 'AnsibleUndefined';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'str';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'function':
      return 'function';
  }
  if (v instanceof PyFloat) return 'float';
  if (Array.isArray(v)) return v instanceof PyTuple ? 'tuple' : 'list';
  if (v instanceof BoundMethod) return 'builtin_function_or_method';
  return 'dict';
}

/** Jinja's object_type_repr: "dict object", "None", ... (used in undefined hints) */
export function objectTypeRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  return `${pyTypeName(v)} object`;
}

export function fail(message: string, kind: 'type' | 'runtime' | 'filter' = 'type'): never {
  // offsets are filled in by the evaluator, which knows the node that failed
  throw new TemplateError(kind, message, -1, -1);
}

export function checkDefined(v: unknown): void {
  if (v instanceof Undefined) throw v.error();
}

/** Python truthiness; undefined raises (Ansible's StrictUndefined) */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
      return v !== 0 && !Number.isNaN(v);
    case 'string':
      return v.length > 0;
  }
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof PyFloat) return v.value !== 0;
  if (v instanceof Undefined) {
    if (v.silent) return false;
    throw v.error();
  }
  if (v instanceof BoundMethod) return true;
  if (typeof v === 'object') {
    for (const k in v) if (hasOwn.call(v, k)) return true;
    return false;
  }
  return true;
}

/**
 * Python's fixed-point formatting ('%.2f', round()): correctly rounded like JS toFixed, except that exact
 * ties go to the even digit (2.25 -> '2.2', JS gives '2.3').
 */
export function pyToFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const plain = x.toFixed(digits);
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 30));
  const dot = exact.indexOf('.');
  const tail = exact.slice(dot + 1 + digits);
  if (!/^50*$/.test(tail)) return plain;
  // exact tie: keep the truncated value when its last digit is even
  const truncated = exact.slice(0, digits === 0 ? dot : dot + 1 + digits);
  const last = Number(truncated[truncated.length - 1]);
  if (last % 2 === 1) return plain;
  return (x < 0 ? '-' : '') + truncated;
}

/** Python round(x, n) */
export function pyRound(x: number, digits: number): number {
  if (digits < 0) {
    const f = 10 ** -digits;
    return pyRound(x / f, 0) * f;
  }
  return Number(pyToFixed(x, digits));
}

/** Python float repr: shortest round-trip digits, exponent form outside 1e-4 <= |x| < 1e16 */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  let s: string;
  if (exp >= 16 || exp < -4) {
    const [mant, e] = x.toExponential().split('e');
    const en = Number(e);
    s = `${mant}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  } else {
    s = String(x);
    if (s.includes('e')) s = x.toFixed(Math.max(0, -exp + 17)).replace(/0+$/, '');
    if (!s.includes('.')) s += '.0';
  }
  return s;
}

/** Python repr() of a string */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

/** Python repr() */
export function repr(v: unknown): string {
  if (typeof v === 'string') return strRepr(v);
  if (v instanceof PyTuple) return v.length === 1 ? `(${repr(v[0])},)` : '(' + Array.from(v, repr).join(', ') + ')';
  if (Array.isArray(v)) return '[' + v.map(repr).join(', ') + ']';
  if (isDict(v)) {
    const parts: string[] = [];
    for (const k in v) if (hasOwn.call(v, k)) parts.push(strRepr(k) + ': ' + repr(v[k]));
    return '{' + parts.join(', ') + '}';
  }
  return pyStr(v);
}

/** Python str(); undefined raises */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return 'None';
  switch (typeof v) {
    case 'boolean':
      return v ? 'True' : 'False';
    case 'number':
      return Number.isInteger(v) ? (Object.is(v, -0) ? '0' : String(v)) : floatRepr(v);
  }
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (v instanceof Undefined) {
    if (v.silent) return '';
    throw v.error();
  }
  if (v instanceof BoundMethod) return `<built-in method ${v.name}>`;
  return repr(v);
}

/** Python ==; undefined on either side raises */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === b) return a === a || typeof a !== 'number'; // NaN != NaN
  if (a instanceof Undefined) throw a.error();
  if (b instanceof Undefined) throw b.error();
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === 'number' || ta === 'boolean' || a instanceof PyFloat) && (tb === 'number' || tb === 'boolean' || b instanceof PyFloat)) {
    return num(a as number) === num(b as number);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!pyEquals(a[i], b[i])) return false;
    return true;
  }
  if (isDict(a)) {
    if (!isDict(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (!own(b, k) || !pyEquals(a[k], b[k])) return false;
    return true;
  }
  return false;
}

function orderKind(v: unknown): 'n' | 's' | 'l' | null {
  if (typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat) return 'n';
  if (typeof v === 'string') return 's';
  if (Array.isArray(v)) return 'l';
  return null;
}

/** Python ordering comparison (<); raises TypeError like Python for unorderable pairs */
export function pyCompare(a: unknown, b: unknown, op: string): number {
  if (a instanceof Undefined) throw a.error();
  if (b instanceof Undefined) throw b.error();
  const ka = orderKind(a);
  const kb = orderKind(b);
  if (ka === null || ka !== kb) {
    fail(`'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
  }
  if (ka === 'n') return num(a as number) - num(b as number);
  if (ka === 's') return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  const la = a as unknown[];
  const lb = b as unknown[];
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    if (!pyEquals(la[i], lb[i])) return pyCompare(la[i], lb[i], op);
  }
  return la.length - lb.length;
}

/** Python `in` */
export function pyContains(container: unknown, item: unknown): boolean {
  if (container instanceof Undefined) throw container.error();
  if (item instanceof Undefined) throw item.error();
  if (typeof container === 'string') {
    if (typeof item !== 'string') fail(`'in <string>' requires string as left operand, not ${pyTypeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) {
    for (const x of container) if (pyEquals(x, item)) return true;
    return false;
  }
  if (isDict(container)) return typeof item === 'string' ? own(container, item) : typeof item === 'number' ? own(container, String(item)) : false;
  return fail(`argument of type '${pyTypeName(container)}' is not iterable`);
}

/** Python iteration: list items, string characters, dict keys; undefined raises */
export function pyIter(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return Array.from(v);
  if (v instanceof Undefined) throw v.error();
  if (isDict(v)) return Object.keys(v);
  return fail(`'${pyTypeName(v)}' object is not iterable`);
}

/** Python len() */
export function pyLen(v: unknown): number {
  if (typeof v === 'string') return Array.from(v).length;
  if (Array.isArray(v)) return v.length;
  if (v instanceof Undefined) throw v.error();
  if (isDict(v)) return Object.keys(v).length;
  return fail(`object of type '${pyTypeName(v)}' has no len()`);
}

/** Unboxes integral floats for callers outside the engine (values are copied only where a box is found). */
export function toPlain(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (v instanceof Undefined) {
    if (v.silent) return null;
    throw v.error();
  }
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const p = toPlain(v[i]);
      if (p !== v[i]) {
        out ??= v.slice();
        out[i] = p;
      }
    }
    return out ?? v;
  }
  if (isDict(v)) {
    let out: Dict | null = null;
    for (const k in v) {
      if (!hasOwn.call(v, k)) continue;
      const p = toPlain(v[k]);
      if (p !== v[k]) {
        out ??= { ...v };
        out[k] = p;
      }
    }
    return out ?? v;
  }
  return v;
}

/** Results for callers that asked to keep float boxes: only undefined is resolved */
export function readonlyPlain(v: unknown): unknown {
  if (v instanceof Undefined) {
    if (v.silent) return null;
    throw v.error();
  }
  return v;
}
