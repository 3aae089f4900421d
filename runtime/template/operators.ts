/** Python's arithmetic operators with its int/float rules and its TypeError messages. */
import { TemplateError } from './errors';
import { percentFormat } from './pyformat';
import { fail, isFloat, makeFloat, num, pyStr, pyTypeName, PyFloat, Undefined } from './values';

/** Python raises ZeroDivisionError, which Ansible does not wrap */
function zeroDivision(message: string): never {
  throw new TemplateError('runtime', message, -1, -1, message, 'ZeroDivisionError');
}

function isNumeric(v: unknown): v is number | boolean | PyFloat {
  return typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
}

function unsupported(op: string, a: unknown, b: unknown): never {
  if (a instanceof Undefined) throw a.error();
  if (b instanceof Undefined) throw b.error();
  return fail(`unsupported operand type(s) for ${op}: '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

/** result of a numeric operation: float when either operand is a float */
function numResult(n: number, a: unknown, b: unknown): number | PyFloat {
  return isFloat(a) || isFloat(b) ? makeFloat(n) : n;
}

export function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    return Number.isInteger(r) && (!Number.isInteger(a) || !Number.isInteger(b)) ? new PyFloat(r) : r;
  }
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (isNumeric(a) && isNumeric(b)) return numResult(num(a) + num(b), a, b);
  if (Array.isArray(a) && Array.isArray(b)) return a.concat(b);
  if (typeof a === 'string' && !(b instanceof Undefined)) fail(`can only concatenate str (not "${pyTypeName(b)}") to str`);
  if (Array.isArray(a) && !(b instanceof Undefined)) fail(`can only concatenate list (not "${pyTypeName(b)}") to list`);
  return unsupported('+', a, b);
}

export function sub(a: unknown, b: unknown): unknown {
  if (isNumeric(a) && isNumeric(b)) return numResult(num(a) - num(b), a, b);
  return unsupported('-', a, b);
}

function repeat<T>(seq: T[] | string, times: number): T[] | string {
  const n = Math.max(0, Math.trunc(times));
  if (typeof seq === 'string') return seq.repeat(n);
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(...seq);
  return out;
}

export function mul(a: unknown, b: unknown): unknown {
  if (isNumeric(a) && isNumeric(b)) return numResult(num(a) * num(b), a, b);
  if ((typeof a === 'string' || Array.isArray(a)) && (typeof b === 'number' || typeof b === 'boolean') && !isFloat(b)) return repeat(a, num(b));
  if ((typeof b === 'string' || Array.isArray(b)) && (typeof a === 'number' || typeof a === 'boolean') && !isFloat(a)) return repeat(b, num(a));
  if ((typeof a === 'string' || Array.isArray(a)) && isFloat(b)) fail(`can't multiply sequence by non-int of type 'float'`);
  return unsupported('*', a, b);
}

export function truediv(a: unknown, b: unknown): unknown {
  if (isNumeric(a) && isNumeric(b)) {
    if (num(b) === 0) zeroDivision('division by zero');
    return makeFloat(num(a) / num(b));
  }
  return unsupported('/', a, b);
}

export function floordiv(a: unknown, b: unknown): unknown {
  if (isNumeric(a) && isNumeric(b)) {
    if (num(b) === 0) zeroDivision(isFloat(a) || isFloat(b) ? 'float floor division by zero' : 'integer division or modulo by zero');
    return numResult(Math.floor(num(a) / num(b)), a, b);
  }
  return unsupported('//', a, b);
}

export function mod(a: unknown, b: unknown): unknown {
  if (typeof a === 'string') return percentFormat(a, b);
  if (isNumeric(a) && isNumeric(b)) {
    const x = num(a);
    const y = num(b);
    if (y === 0) zeroDivision(isFloat(a) || isFloat(b) ? 'float modulo' : 'integer division or modulo by zero');
    const r = x - Math.floor(x / y) * y;
    return numResult(r, a, b);
  }
  return unsupported('%', a, b);
}

export function pow(a: unknown, b: unknown): unknown {
  if (isNumeric(a) && isNumeric(b)) {
    const r = num(a) ** num(b);
    return isFloat(a) || isFloat(b) || num(b) < 0 ? makeFloat(r) : r;
  }
  return unsupported('** or pow()', a, b);
}

export function neg(a: unknown): unknown {
  if (typeof a === 'number') return a === 0 ? 0 : -a;
  if (a instanceof PyFloat) return new PyFloat(-a.value);
  if (typeof a === 'boolean') return a ? -1 : 0;
  if (a instanceof Undefined) throw a.error();
  return fail(`bad operand type for unary -: '${pyTypeName(a)}'`);
}

export function pos(a: unknown): unknown {
  if (typeof a === 'number' || a instanceof PyFloat) return a;
  if (typeof a === 'boolean') return a ? 1 : 0;
  if (a instanceof Undefined) throw a.error();
  return fail(`bad operand type for unary +: '${pyTypeName(a)}'`);
}

/** Jinja's `~`: both sides as strings */
export function concat(a: unknown, b: unknown): string {
  return pyStr(a) + pyStr(b);
}
