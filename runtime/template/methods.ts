/**
 * The Python methods of str, list and dict that templates call (`x.split('.')`, `d.items()`, ...).
 * Mutating methods (append, update, ...) mutate, as in Python; templates use them on values they built.
 */
import { readKey, getAttr, getItem } from './access';
import { strFormat } from './pyformat';
import { BoundMethod, fail, isDict, num, own, pyContains, pyEquals, pyIter, pyStr, pyTypeName, tuple, Undefined, type Dict } from './values';

type Method<T> = (self: T, args: unknown[], kwargs: Record<string, unknown> | null) => unknown;

function arg(args: unknown[], kwargs: Record<string, unknown> | null, i: number, name: string, dflt?: unknown): unknown {
  let v: unknown = dflt;
  if (i < args.length) v = args[i];
  else if (kwargs && own(kwargs, name)) v = kwargs[name];
  if (v instanceof Undefined) throw v.error();
  return v;
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') fail(`${what} must be str, not ${pyTypeName(v)}`);
  return v;
}

const WS = /^[\s\u001c-\u001f\u0085]+|[\s\u001c-\u001f\u0085]+$/g;

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  if (chars === null || chars === undefined) {
    if (left && right) return s.replace(WS, '');
    return left ? s.replace(/^\s+/, '') : s.replace(/\s+$/, '');
  }
  const set = new Set(str(chars, 'strip arg'));
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.has(s[a])) a++;
  if (right) while (b > a && set.has(s[b - 1])) b--;
  return s.slice(a, b);
}

function pySplit(s: string, sep: unknown, maxsplit: number): string[] {
  if (sep === null || sep === undefined) {
    const out: string[] = [];
    let rest = s.replace(/^\s+/, '');
    while (rest.length > 0) {
      if (maxsplit >= 0 && out.length === maxsplit) {
        out.push(rest);
        return out;
      }
      const m = /\s+/.exec(rest);
      if (!m) {
        out.push(rest);
        break;
      }
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return out;
  }
  const sp = str(sep, 'separator');
  if (sp === '') fail('empty separator', 'runtime');
  const parts = s.split(sp);
  if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts;
  return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sp)];
}

function pyRsplit(s: string, sep: unknown, maxsplit: number): string[] {
  if (maxsplit < 0) return pySplit(s, sep, -1);
  if (sep === null || sep === undefined) {
    const words = pySplit(s, null, -1);
    if (words.length <= maxsplit + 1) return words;
    const tail = words.slice(words.length - maxsplit);
    const trimmed = s.replace(/\s+$/, '');
    let cut = trimmed.length;
    for (let i = tail.length - 1; i >= 0; i--) {
      cut = trimmed.lastIndexOf(tail[i], cut - 1);
    }
    return [trimmed.slice(0, cut).replace(/\s+$/, ''), ...tail];
  }
  const sp = str(sep, 'separator');
  const parts = s.split(sp);
  if (parts.length <= maxsplit + 1) return parts;
  return [parts.slice(0, parts.length - maxsplit).join(sp), ...parts.slice(parts.length - maxsplit)];
}

function prefixes(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => str(x, 'tuple for startswith'));
  return [str(v, 'startswith first arg')];
}

function countOf(s: string, sub: string): number {
  if (sub === '') return [...s].length + 1;
  let n = 0;
  for (let i = s.indexOf(sub); i !== -1; i = s.indexOf(sub, i + sub.length)) n++;
  return n;
}

const isCased = (s: string) => s.toLowerCase() !== s.toUpperCase();

const STR: Record<string, Method<string>> = {
  startswith: (s, a, k) => prefixes(arg(a, k, 0, 'prefix')).some((p) => s.startsWith(p)),
  endswith: (s, a, k) => prefixes(arg(a, k, 0, 'suffix')).some((p) => s.endsWith(p)),
  split: (s, a, k) => pySplit(s, arg(a, k, 0, 'sep', null), num(arg(a, k, 1, 'maxsplit', -1) as number)),
  rsplit: (s, a, k) => pyRsplit(s, arg(a, k, 0, 'sep', null), num(arg(a, k, 1, 'maxsplit', -1) as number)),
  splitlines: (s, a, k) => {
    const keep = !!arg(a, k, 0, 'keepends', false);
    const out = s.split(/(?<=\r\n|\n|\r(?!\n))/);
    if (out.length && out[out.length - 1] === '') out.pop();
    return keep ? out : out.map((l) => l.replace(/(\r\n|\n|\r)$/, ''));
  },
  strip: (s, a, k) => stripChars(s, arg(a, k, 0, 'chars', null), true, true),
  lstrip: (s, a, k) => stripChars(s, arg(a, k, 0, 'chars', null), true, false),
  rstrip: (s, a, k) => stripChars(s, arg(a, k, 0, 'chars', null), false, true),
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  casefold: (s) => s.toLowerCase(),
  swapcase: (s) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  capitalize: (s) => (s.length ? s[0].toUpperCase() + s.slice(1).toLowerCase() : s),
  title: (s) => s.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()),
  replace: (s, a, k) => {
    const old = str(arg(a, k, 0, 'old'), 'replace() argument 1');
    const rep = str(arg(a, k, 1, 'new'), 'replace() argument 2');
    let count = num(arg(a, k, 2, 'count', -1) as number);
    if (count < 0) return s.split(old).join(rep);
    let out = '';
    let rest = s;
    while (count-- > 0) {
      const i = rest.indexOf(old);
      if (i === -1) break;
      out += rest.slice(0, i) + rep;
      rest = rest.slice(i + old.length);
      if (old === '') {
        out += rest.slice(0, 1);
        rest = rest.slice(1);
      }
    }
    return out + rest;
  },
  find: (s, a, k) => s.indexOf(str(arg(a, k, 0, 'sub'), 'find arg'), num((arg(a, k, 1, 'start', 0) as number) ?? 0)),
  rfind: (s, a, k) => s.lastIndexOf(str(arg(a, k, 0, 'sub'), 'rfind arg')),
  index: (s, a, k) => {
    const i = s.indexOf(str(arg(a, k, 0, 'sub'), 'index arg'));
    return i === -1 ? fail('substring not found', 'runtime') : i;
  },
  count: (s, a, k) => countOf(s, str(arg(a, k, 0, 'sub'), 'count arg')),
  join: (s, a, k) => pyIter(arg(a, k, 0, 'iterable')).map((x) => (typeof x === 'string' ? x : fail(`sequence item: expected str instance, ${pyTypeName(x)} found`))).join(s),
  format: (s, a, k) => strFormat(s, a, k ?? {}, (obj, key) => (/^\d+$/.test(key) ? getItem(obj, Number(key), -1, -1) : getAttr(obj, key, -1, -1))),
  isdigit: (s) => /^\d+$/.test(s),
  isnumeric: (s) => /^\d+$/.test(s),
  isdecimal: (s) => /^\d+$/.test(s),
  isalpha: (s) => /^\p{L}+$/u.test(s),
  isalnum: (s) => /^[\p{L}\d]+$/u.test(s),
  isspace: (s) => /^\s+$/.test(s),
  islower: (s) => isCased(s) && s === s.toLowerCase(),
  isupper: (s) => isCased(s) && s === s.toUpperCase(),
  istitle: (s) => isCased(s) && s === STR.title(s, [], null),
  isidentifier: (s) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s),
  zfill: (s, a, k) => {
    const w = num(arg(a, k, 0, 'width') as number);
    const sign = /^[+-]/.test(s) ? s[0] : '';
    return sign + s.slice(sign.length).padStart(w - sign.length, '0');
  },
  center: (s, a, k) => {
    const w = num(arg(a, k, 0, 'width') as number);
    const f = (arg(a, k, 1, 'fillchar', ' ') as string) || ' ';
    const total = Math.max(0, w - s.length);
    const left = Math.floor(total / 2) + (total % 2 && w % 2 ? 1 : 0);
    return f.repeat(left) + s + f.repeat(total - left);
  },
  ljust: (s, a, k) => s.padEnd(num(arg(a, k, 0, 'width') as number), (arg(a, k, 1, 'fillchar', ' ') as string) || ' '),
  rjust: (s, a, k) => s.padStart(num(arg(a, k, 0, 'width') as number), (arg(a, k, 1, 'fillchar', ' ') as string) || ' '),
  partition: (s, a, k) => {
    const sep = str(arg(a, k, 0, 'sep'), 'partition arg');
    const i = s.indexOf(sep);
    return tuple(i === -1 ? [s, '', ''] : [s.slice(0, i), sep, s.slice(i + sep.length)]);
  },
  rpartition: (s, a, k) => {
    const sep = str(arg(a, k, 0, 'sep'), 'rpartition arg');
    const i = s.lastIndexOf(sep);
    return tuple(i === -1 ? ['', '', s] : [s.slice(0, i), sep, s.slice(i + sep.length)]);
  },
  removeprefix: (s, a, k) => {
    const p = str(arg(a, k, 0, 'prefix'), 'removeprefix arg');
    return s.startsWith(p) ? s.slice(p.length) : s;
  },
  removesuffix: (s, a, k) => {
    const p = str(arg(a, k, 0, 'suffix'), 'removesuffix arg');
    return p && s.endsWith(p) ? s.slice(0, -p.length) : s;
  },
};

const LIST: Record<string, Method<unknown[]>> = {
  index: (l, a, k) => {
    const x = arg(a, k, 0, 'value');
    const i = l.findIndex((y) => pyEquals(y, x));
    return i === -1 ? fail(`${pyStr(x)} is not in list`, 'runtime') : i;
  },
  count: (l, a, k) => {
    const x = arg(a, k, 0, 'value');
    return l.filter((y) => pyEquals(y, x)).length;
  },
  copy: (l) => l.slice(),
  append: (l, a, k) => {
    l.push(arg(a, k, 0, 'object'));
    return null;
  },
  extend: (l, a, k) => {
    l.push(...pyIter(arg(a, k, 0, 'iterable')));
    return null;
  },
  insert: (l, a, k) => {
    l.splice(num(arg(a, k, 0, 'index') as number), 0, arg(a, k, 1, 'object'));
    return null;
  },
  pop: (l, a, k) => {
    if (l.length === 0) fail('pop from empty list', 'runtime');
    const i = num(arg(a, k, 0, 'index', -1) as number);
    return l.splice(i < 0 ? l.length + i : i, 1)[0];
  },
  remove: (l, a, k) => {
    const x = arg(a, k, 0, 'value');
    const i = l.findIndex((y) => pyEquals(y, x));
    if (i === -1) fail('list.remove(x): x not in list', 'runtime');
    l.splice(i, 1);
    return null;
  },
  reverse: (l) => {
    l.reverse();
    return null;
  },
};

const DICT: Record<string, Method<Dict>> = {
  keys: (d) => Object.keys(d),
  values: (d) => Object.keys(d).map((k) => d[k]),
  items: (d) => Object.keys(d).map((k) => tuple([k, d[k]])),
  get: (d, a, k) => {
    const key = arg(a, k, 0, 'key');
    const v = typeof key === 'string' || typeof key === 'number' ? readKey(d, String(key)) : undefined;
    return v === undefined ? (arg(a, k, 1, 'default', null) ?? null) : v;
  },
  copy: (d) => ({ ...d }),
  update: (d, a, k) => {
    const other = arg(a, k, 0, 'other', null);
    if (isDict(other)) Object.assign(d, other);
    else if (Array.isArray(other)) for (const pair of other) d[pyStr((pair as unknown[])[0])] = (pair as unknown[])[1];
    if (k) Object.assign(d, k);
    return null;
  },
  pop: (d, a, k) => {
    const key = pyStr(arg(a, k, 0, 'key'));
    if (own(d, key)) {
      const v = d[key];
      delete d[key];
      return v;
    }
    if (a.length > 1) return a[1];
    return fail(`KeyError: '${key}'`, 'runtime');
  },
  setdefault: (d, a, k) => {
    const key = pyStr(arg(a, k, 0, 'key'));
    if (!own(d, key)) d[key] = arg(a, k, 1, 'default', null);
    return d[key];
  },
  __contains__: (d, a, k) => pyContains(d, arg(a, k, 0, 'key')),
};

export const STR_METHODS: ReadonlySet<string> = new Set(Object.keys(STR));
export const LIST_METHODS: ReadonlySet<string> = new Set(Object.keys(LIST));
export const DICT_METHODS: ReadonlySet<string> = new Set(Object.keys(DICT).filter((n) => !n.startsWith('__')));

/** A method bound to its receiver (for `f = x.split` then `f('.')`, or printing it) */
export function bindMethod(self: unknown, name: string): BoundMethod {
  return new BoundMethod(name, (args, kwargs) => callMethod(self, name, args, kwargs));
}

/** `self.name(args)` for a known Python method; returns undefined (JS) when there is none */
export function callMethod(self: unknown, name: string, args: unknown[], kwargs: Record<string, unknown> | null): unknown {
  if (typeof self === 'string') {
    const m = STR[name];
    return m ? m(self, args, kwargs) : undefined;
  }
  if (Array.isArray(self)) {
    const m = LIST[name];
    return m ? m(self, args, kwargs) : undefined;
  }
  if (isDict(self) && DICT_METHODS.has(name)) return DICT[name](self, args, kwargs);
  return undefined;
}

export function hasMethod(self: unknown, name: string): boolean {
  if (typeof self === 'string') return STR_METHODS.has(name);
  if (Array.isArray(self)) return LIST_METHODS.has(name);
  if (isDict(self)) return DICT_METHODS.has(name);
  return false;
}
