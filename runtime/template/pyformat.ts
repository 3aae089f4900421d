/** Python string formatting: `'%s' % x`, `'%(a)s' % d`, `'{}'.format(x)` and the format-spec mini-language. */
import { fail, floatRepr, isDict, isFloat, num, pyStr, pyToFixed, pyTypeName, PyFloat, repr, Undefined } from './values';

function toNumber(v: unknown, conv: string): number {
  if (typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat) return num(v);
  if (v instanceof Undefined) throw v.error();
  return fail(`%${conv} format: a real number is required, not ${pyTypeName(v)}`);
}

function pad(s: string, width: number, left: boolean, zero: boolean): string {
  if (s.length >= width) return s;
  if (left) return s.padEnd(width);
  if (zero) {
    const sign = /^[+\- ]/.test(s) ? s[0] : '';
    return sign + s.slice(sign.length).padStart(width - sign.length, '0');
  }
  return s.padStart(width);
}

function expForm(x: number, prec: number, upper: boolean): string {
  const [m, e] = x.toExponential(prec).split('e');
  const en = Number(e);
  const s = `${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  return upper ? s.toUpperCase() : s;
}

function generalForm(x: number, prec: number, alt: boolean, upper: boolean): string {
  const p = prec === 0 ? 1 : prec;
  if (x === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(p)))));
  let s = exp < -4 || exp >= p ? expForm(x, p - 1, upper) : x.toFixed(Math.max(0, p - 1 - exp));
  if (!alt) s = s.includes('e') || s.includes('E') ? s.replace(/\.?0+(?=[eE])/, '') : s.includes('.') ? s.replace(/\.?0+$/, '') : s;
  return s;
}

function formatNumber(x: number, type: string, prec: number | undefined, alt: boolean, sign: string): string {
  let body: string;
  const a = Math.abs(x);
  switch (type) {
    case 'd':
    case 'i':
    case 'u':
      body = String(Math.trunc(a));
      break;
    case 'x':
    case 'X':
      body = (alt ? '0x' : '') + Math.trunc(a).toString(16);
      if (type === 'X') body = body.toUpperCase();
      break;
    case 'o':
      body = (alt ? '0o' : '') + Math.trunc(a).toString(8);
      break;
    case 'b':
      body = (alt ? '0b' : '') + Math.trunc(a).toString(2);
      break;
    case 'f':
    case 'F':
      body = Number.isFinite(a) ? pyToFixed(a, prec ?? 6) : a === Infinity ? 'inf' : 'nan';
      break;
    case 'e':
    case 'E':
      body = expForm(a, prec ?? 6, type === 'E');
      break;
    case 'g':
    case 'G':
      body = generalForm(a, prec ?? 6, alt, type === 'G');
      break;
    case '%':
      body = pyToFixed(a * 100, prec ?? 6) + '%';
      break;
    default:
      body = floatRepr(a);
  }
  const negative = x < 0 || Object.is(x, -0);
  return (negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '') + body;
}

/** `'...' % args` (printf-style) */
export function percentFormat(fmt: string, args: unknown): string {
  const list = Array.isArray(args) ? args : [args];
  let idx = 0;
  let usedMapping = false;
  const re = /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([hlL]?)([diouxXeEfFgGcrsa%])/g;
  const out = fmt.replace(re, (_m, key: string | undefined, flags: string, width: string | undefined, prec: string | undefined, _len: string, conv: string) => {
    if (conv === '%') return '%';
    let value: unknown;
    if (key !== undefined) {
      if (!isDict(args)) fail('format requires a mapping');
      usedMapping = true;
      if (!Object.prototype.hasOwnProperty.call(args, key)) fail(`KeyError: '${key}'`, 'runtime');
      value = (args as Record<string, unknown>)[key];
    } else {
      if (idx >= list.length) fail('not enough arguments for format string');
      value = list[idx++];
    }
    if (value instanceof Undefined) throw value.error();
    const w = width === undefined ? 0 : width === '*' ? Number(list[idx++]) : Number(width);
    const p = prec === undefined ? undefined : prec === '*' ? Number(list[idx++]) : Number(prec);
    const left = flags.includes('-');
    const zero = flags.includes('0');
    const sign = flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
    let s: string;
    if (conv === 's') s = pyStr(value);
    else if (conv === 'r' || conv === 'a') s = repr(value);
    else if (conv === 'c') s = typeof value === 'string' ? value : String.fromCodePoint(toNumber(value, conv));
    else s = formatNumber(toNumber(value, conv), conv, p, flags.includes('#'), sign);
    if ((conv === 's' || conv === 'r') && p !== undefined) s = s.slice(0, p);
    return pad(s, w, left, zero && conv !== 's' && conv !== 'r');
  });
  if (!usedMapping && Array.isArray(args) && idx < list.length) fail('not all arguments converted during string formatting');
  if (!usedMapping && !Array.isArray(args) && !isDict(args) && idx === 0) fail('not all arguments converted during string formatting');
  return out;
}

/** One value through a format spec (`format(value, spec)`). */
export function formatSpec(value: unknown, spec: string): string {
  if (value instanceof Undefined) throw value.error();
  const m = /^(?:(.)?([<>=^]))?([-+ ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s.exec(spec);
  if (!m) fail(`Invalid format specifier '${spec}'`, 'runtime');
  const [, fillCh, align, sign, alt, zero, width, group, prec, type] = m;
  const isNum = typeof value === 'number' || typeof value === 'boolean' || value instanceof PyFloat;
  let s: string;
  if (type === undefined && !isNum) s = prec !== undefined ? pyStr(value).slice(0, Number(prec)) : pyStr(value);
  else if (type === 's') s = prec !== undefined ? pyStr(value).slice(0, Number(prec)) : pyStr(value);
  else {
    if (!isNum) fail(`Unknown format code '${type}' for object of type '${pyTypeName(value)}'`, 'runtime');
    const x = num(value as number);
    const t = type ?? (isFloat(value) ? (prec !== undefined ? 'g' : '') : 'd');
    if ((t === 'd' || t === 'x' || t === 'X' || t === 'o' || t === 'b' || t === 'c') && isFloat(value)) fail(`Unknown format code '${t}' for object of type 'float'`, 'runtime');
    s = t === '' ? (sign === '+' && x >= 0 ? '+' : sign === ' ' && x >= 0 ? ' ' : '') + (isFloat(value) ? floatRepr(x) : String(x)) : formatNumber(x, t, prec === undefined ? undefined : Number(prec), !!alt, sign ?? '');
    if (group) {
      const [intPart, frac] = s.split('.');
      s = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, group) + (frac !== undefined ? '.' + frac : '');
    }
  }
  const w = width === undefined ? 0 : Number(width);
  if (s.length >= w) return s;
  const fill = fillCh ?? (zero && !align ? '0' : ' ');
  const al = align ?? (zero ? '=' : isNum ? '>' : '<');
  const padLen = w - s.length;
  if (al === '<') return s + fill.repeat(padLen);
  if (al === '>') return fill.repeat(padLen) + s;
  if (al === '^') return fill.repeat(Math.floor(padLen / 2)) + s + fill.repeat(Math.ceil(padLen / 2));
  const signCh = /^[+\- ]/.test(s) ? s[0] : '';
  return signCh + fill.repeat(padLen) + s.slice(signCh.length);
}

/** `str.format(*args, **kwargs)` */
export function strFormat(fmt: string, args: unknown[], kwargs: Record<string, unknown>, getField: (obj: unknown, key: string) => unknown): string {
  let auto = 0;
  return fmt.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}/g, (m, field: string | undefined, conv: string | undefined, spec: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const path = (field ?? '').split(/(?=[.[])/);
    const head = path[0];
    let value: unknown;
    if (head === '') value = args[auto++];
    else if (/^\d+$/.test(head)) value = args[Number(head)];
    else value = Object.prototype.hasOwnProperty.call(kwargs, head) ? kwargs[head] : fail(`KeyError: '${head}'`, 'runtime');
    if (value === undefined) fail('Replacement index out of range for positional args tuple', 'runtime');
    for (const part of path.slice(1)) {
      value = part.startsWith('.') ? getField(value, part.slice(1)) : getField(value, part.slice(1, -1));
    }
    if (conv === 'r' || conv === 'a') value = repr(value);
    else if (conv === 's') value = pyStr(value);
    return formatSpec(value, spec ?? '');
  });
}
