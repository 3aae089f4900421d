/** Jinja2's built-in filters (jinja2/filters.py), with Ansible's overrides where it has them. */
import { getItem } from './access';
import { invoke } from './compile';
import { formatSpec, percentFormat } from './pyformat';
import type { FilterDef, FilterFn, Kwargs, Scope } from './scope';
import { param } from './tests';
import {
  fail,
  isDict,
  isFloat,
  makeFloat,
  num,
  own,
  pyCompare,
  pyEquals,
  pyIter,
  pyLen,
  pyStr,
  pyTypeName,
  PyFloat,
  pyRound,
  repr,
  truthy,
  tuple,
  Undefined,
} from './values';

/** Jinja's make_attrgetter: "a.b.0" walks items; missing parts are Undefined */
export function attrGetter(attribute: unknown, dflt?: unknown): (item: unknown) => unknown {
  const parts = typeof attribute === 'number' ? [attribute] : pyStr(attribute).split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return (item) => {
    let v = item;
    for (const p of parts) v = getItem(v, p, -1, -1);
    if (v instanceof Undefined && dflt !== undefined) return dflt;
    return v;
  };
}

function toInt(v: unknown, dflt: unknown, base: number): unknown {
  if (typeof v === 'number') return Math.trunc(v);
  if (v instanceof PyFloat) return Math.trunc(v.value);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const s = v.trim().replace(/_/g, '');
    if (base === 10 ? /^[+-]?\d+$/.test(s) : s.length > 0) {
      const body = base === 16 ? s.replace(/^([+-]?)0x/i, '$1') : base === 8 ? s.replace(/^([+-]?)0o/i, '$1') : base === 2 ? s.replace(/^([+-]?)0b/i, '$1') : s;
      const n = parseInt(body, base);
      if (!Number.isNaN(n) && new RegExp(`^[+-]?[${'0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base)}]+$`, 'i').test(body)) return n;
    }
    const f = Number(s);
    if (s !== '' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) && Number.isFinite(f)) return Math.trunc(f);
  }
  return dflt;
}

function toFloat(v: unknown, dflt: unknown): unknown {
  if (typeof v === 'number' || v instanceof PyFloat || typeof v === 'boolean') return makeFloat(num(v));
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (/^[+-]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(e[+-]?\d+)?$/.test(s)) return makeFloat(Number(s.replace(/_/g, '')));
    if (/^[+-]?(inf|infinity)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?nan$/.test(s)) return NaN;
  }
  return dflt;
}

/** sort key: case-insensitive strings unless case_sensitive */
function sortKey(caseSensitive: boolean): (v: unknown) => unknown {
  return (v) => (!caseSensitive && typeof v === 'string' ? v.toLowerCase() : v);
}

export function pySorted(items: unknown[], key: (v: unknown) => unknown, reverse: boolean): unknown[] {
  const keyed = items.map((v, i) => ({ k: key(v), v, i }));
  keyed.sort((a, b) => {
    const c = pyCompare(a.k, b.k, '<');
    return c !== 0 ? (reverse ? -c : c) : a.i - b.i;
  });
  return keyed.map((x) => x.v);
}

function uniqueBy(items: unknown[], key: (v: unknown) => unknown): unknown[] {
  const out: unknown[] = [];
  const seenKeys: unknown[] = [];
  const seenPrim = new Set<unknown>();
  for (const item of items) {
    const k = key(item);
    if (typeof k === 'string' || typeof k === 'number' || typeof k === 'boolean' || k === null) {
      const pk = typeof k === 'boolean' ? (k ? 1 : 0) : k;
      if (seenPrim.has(pk)) continue;
      seenPrim.add(pk);
    } else {
      if (seenKeys.some((s) => pyEquals(s, k))) continue;
      seenKeys.push(k);
    }
    out.push(item);
  }
  return out;
}

function minMax(which: 'min' | 'max'): FilterFn {
  return (_s, v, args, kw) => {
    const caseSensitive = truthy(param(args, kw, 0, 'case_sensitive', false));
    const attribute = param(args, kw, 1, 'attribute', null);
    const items = pyIter(v);
    if (items.length === 0) return new Undefined(`No aggregated item, sequence was empty.`, -1, -1);
    const get = attribute !== null && attribute !== undefined ? attrGetter(attribute) : (x: unknown) => x;
    const key = sortKey(caseSensitive);
    let best = items[0];
    for (const x of items.slice(1)) {
      const c = pyCompare(key(get(x)), key(get(best)), '<');
      if (which === 'min' ? c < 0 : c > 0) best = x;
    }
    return best;
  };
}

/** select/reject(test, args...) and selectattr/rejectattr(attr, test, args...) */
function selectFilter(byAttr: boolean, keep: boolean): FilterFn {
  return (s, v, args, kw) => {
    let rest = args;
    let get = (x: unknown) => x;
    if (byAttr) {
      if (rest.length === 0) fail('Missing parameter for attribute name', 'filter');
      get = attrGetter(rest[0]);
      rest = rest.slice(1);
    }
    let check: (x: unknown) => boolean;
    if (rest.length === 0) check = (x) => truthy(x);
    else {
      const name = pyStr(rest[0]);
      const def = s.env.tests.get(name);
      if (!def) fail(`No test named '${name}'.`, 'filter');
      const targs = rest.slice(1);
      check = (x) => {
        if (!def.acceptsUndefined && x instanceof Undefined) throw x.error();
        return def.fn(s, x, targs, kw);
      };
    }
    return pyIter(v).filter((x) => check(get(x)) === keep);
  };
}

const map: FilterFn = (s, v, args, kw) => {
  const items = pyIter(v);
  if (args.length === 0 && kw && own(kw, 'attribute')) {
    const get = attrGetter(kw.attribute, own(kw, 'default') ? kw.default : undefined);
    return items.map(get);
  }
  if (args.length === 0) fail('map requires a filter argument', 'filter');
  const name = pyStr(args[0]);
  const def = s.env.filters.get(name);
  if (!def) fail(`No filter named '${name}'.`, 'filter');
  const fargs = args.slice(1);
  return items.map((x) => {
    if (!def.acceptsUndefined && x instanceof Undefined) throw x.error();
    return def.fn(s, x, fargs, kw);
  });
};

function groupby(_s: Scope, v: unknown, args: unknown[], kw: Kwargs): unknown {
  const get = attrGetter(param(args, kw, 0, 'attribute'), param(args, kw, 1, 'default', undefined));
  const caseSensitive = truthy(param(args, kw, 2, 'case_sensitive', false));
  const key = sortKey(caseSensitive);
  const sorted = pySorted(pyIter(v), (x) => key(get(x)), false);
  const groups: [unknown, unknown[]][] = [];
  for (const item of sorted) {
    const k = get(item);
    const last = groups[groups.length - 1];
    if (last && pyEquals(key(last[0]), key(k))) last[1].push(item);
    else groups.push([k, [item]]);
  }
  return groups;
}

function roundFilter(_s: Scope, v: unknown, args: unknown[], kw: Kwargs): unknown {
  const precision = num((param(args, kw, 0, 'precision', 0) as number) ?? 0);
  const method = pyStr(param(args, kw, 1, 'method', 'common'));
  const x = num(v as number);
  const f = 10 ** precision;
  let r: number;
  if (method === 'ceil') r = Math.ceil(x * f) / f;
  else if (method === 'floor') r = Math.floor(x * f) / f;
  else if (method === 'common') r = pyRound(x, precision);
  else return fail('method must be common, ceil or floor', 'filter');
  return makeFloat(r);
}

function truncate(_s: Scope, v: unknown, args: unknown[], kw: Kwargs): unknown {
  const s = pyStr(v);
  const length = num(param(args, kw, 0, 'length', 255) as number);
  const killwords = truthy(param(args, kw, 1, 'killwords', false));
  const end = pyStr(param(args, kw, 2, 'end', '...'));
  const leeway = num(param(args, kw, 3, 'leeway', 5) as number);
  if (s.length <= length + leeway) return s;
  if (killwords) return s.slice(0, length - end.length) + end;
  const cut = s.slice(0, length - end.length);
  const sp = cut.lastIndexOf(' ');
  return (sp === -1 ? cut : cut.slice(0, sp)) + end;
}

function indent(_s: Scope, v: unknown, args: unknown[], kw: Kwargs): unknown {
  const width = param(args, kw, 0, 'width', 4);
  const first = truthy(param(args, kw, 1, 'first', false));
  const blank = truthy(param(args, kw, 2, 'blank', false));
  const pad = typeof width === 'string' ? width : ' '.repeat(num(width as number));
  const lines = pyStr(v).split('\n');
  return lines.map((l, i) => (i === 0 && !first) || (!blank && l.trim() === '') ? l : pad + l).join('\n');
}

function dictsort(_s: Scope, v: unknown, args: unknown[], kw: Kwargs): unknown {
  if (!isDict(v)) fail('You can only sort by either "key" or "value"', 'filter');
  const caseSensitive = truthy(param(args, kw, 0, 'case_sensitive', false));
  const by = pyStr(param(args, kw, 1, 'by', 'key'));
  const reverse = truthy(param(args, kw, 2, 'reverse', false));
  const idx = by === 'key' ? 0 : by === 'value' ? 1 : fail('You can only sort by either "key" or "value"', 'filter');
  const key = sortKey(caseSensitive);
  return pySorted(Object.keys(v).map((k) => tuple([k, v[k]])), (p) => key((p as unknown[])[idx]), reverse);
}

function batch(_s: Scope, v: unknown, args: unknown[], kw: Kwargs): unknown {
  const n = num(param(args, kw, 0, 'linecount') as number);
  const fill = param(args, kw, 1, 'fill_with', undefined);
  const items = pyIter(v);
  const out: unknown[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  if (fill !== undefined && out.length && out[out.length - 1].length < n) while (out[out.length - 1].length < n) out[out.length - 1].push(fill);
  return out;
}

function sliceFilter(_s: Scope, v: unknown, args: unknown[], kw: Kwargs): unknown {
  const slices = num(param(args, kw, 0, 'slices') as number);
  const fill = param(args, kw, 1, 'fill_with', undefined);
  const seq = pyIter(v);
  const per = Math.floor(seq.length / slices);
  const extra = seq.length % slices;
  const out: unknown[][] = [];
  let offset = 0;
  for (let i = 0; i < slices; i++) {
    const start = offset + i * per;
    if (i < extra) offset++;
    const end = offset + (i + 1) * per;
    const part = seq.slice(start, end);
    if (fill !== undefined && i >= extra) part.push(fill);
    out.push(part);
  }
  return out;
}

function wordwrap(_s: Scope, v: unknown, args: unknown[], kw: Kwargs): unknown {
  const width = num(param(args, kw, 0, 'width', 79) as number);
  const words = pyStr(v).split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? line + ' ' + w : w;
  }
  if (line) lines.push(line);
  return lines.join(pyStr(param(args, kw, 2, 'wrapstring', '\n')));
}

const str = (f: (s: string, args: unknown[], kw: Kwargs) => unknown): FilterFn => (_s, v, args, kw) => f(pyStr(v), args, kw);
const def = (fn: FilterFn): FilterDef => ({ fn });

export const JINJA_FILTERS: [string, FilterDef][] = [
  ['default', { fn: defaultFilter, acceptsUndefined: true }],
  ['d', { fn: defaultFilter, acceptsUndefined: true }],
  ['abs', def((_s, v) => (isFloat(v) ? makeFloat(Math.abs(num(v as number))) : typeof v === 'number' || typeof v === 'boolean' ? Math.abs(num(v)) : fail(`bad operand type for abs(): '${pyTypeName(v)}'`)))],
  ['attr', def((_s, v, args, kw) => getItem(v, pyStr(param(args, kw, 0, 'name')), -1, -1))],
  ['batch', def(batch)],
  ['capitalize', def(str((s) => (s ? s[0].toUpperCase() + s.slice(1).toLowerCase() : s)))],
  ['center', def(str((s, args, kw) => {
    const w = num(param(args, kw, 0, 'width', 80) as number);
    const total = Math.max(0, w - s.length);
    const left = Math.floor(total / 2) + (total % 2 && w % 2 ? 1 : 0);
    return ' '.repeat(left) + s + ' '.repeat(total - left);
  }))],
  ['count', def((_s, v) => pyLen(v))],
  ['length', def((_s, v) => pyLen(v))],
  ['dictsort', def(dictsort)],
  ['escape', def(str((s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;')))],
  ['e', def(str((s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;')))],
  ['forceescape', def(str((s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;')))],
  ['safe', def((_s, v) => v)],
  ['first', def((_s, v) => {
    const items = pyIter(v);
    return items.length ? items[0] : new Undefined('No first item, sequence was empty.', -1, -1);
  })],
  ['last', def((_s, v) => {
    const items = pyIter(v);
    return items.length ? items[items.length - 1] : new Undefined('No last item, sequence was empty.', -1, -1);
  })],
  ['float', def((_s, v, args, kw) => toFloat(v, param(args, kw, 0, 'default', new PyFloat(0))))],
  ['int', def((_s, v, args, kw) => toInt(v, param(args, kw, 0, 'default', 0), num(param(args, kw, 1, 'base', 10) as number)))],
  ['format', def((_s, v, args, kw) => percentFormat(pyStr(v), kw && Object.keys(kw).length ? kw : args))],
  ['groupby', def(groupby)],
  ['indent', def(indent)],
  ['items', def((_s, v) => (v === null ? [] : isDict(v) ? Object.keys(v).map((k) => tuple([k, v[k]])) : fail('Can only get item pairs from a mapping.', 'filter')))],
  ['join', def((_s, v, args, kw) => {
    const sep = pyStr(param(args, kw, 0, 'd', ''));
    const attribute = param(args, kw, 1, 'attribute', null);
    let items = pyIter(v);
    if (attribute !== null) items = items.map(attrGetter(attribute));
    return items.map((x) => pyStr(x)).join(sep);
  })],
  ['list', def((_s, v) => pyIter(v).slice())],
  ['lower', def(str((s) => s.toLowerCase()))],
  ['upper', def(str((s) => s.toUpperCase()))],
  ['title', def(str((s) => s.replace(/[\w']+/g, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase())))],
  ['map', def(map)],
  ['max', def(minMax('max'))],
  ['min', def(minMax('min'))],
  ['pprint', def((_s, v) => repr(v))],
  ['reject', def(selectFilter(false, false))],
  ['rejectattr', def(selectFilter(true, false))],
  ['select', def(selectFilter(false, true))],
  ['selectattr', def(selectFilter(true, true))],
  ['replace', def(str((s, args, kw) => {
    const old = pyStr(param(args, kw, 0, 'old'));
    const rep = pyStr(param(args, kw, 1, 'new'));
    const count = param(args, kw, 2, 'count', null);
    if (count === null) return s.split(old).join(rep);
    let n = num(count as number);
    let out = '';
    let rest = s;
    while (n-- > 0) {
      const i = rest.indexOf(old);
      if (i === -1) break;
      out += rest.slice(0, i) + rep;
      rest = rest.slice(i + old.length);
    }
    return out + rest;
  }))],
  ['reverse', def((_s, v) => (typeof v === 'string' ? [...v].reverse().join('') : pyIter(v).slice().reverse()))],
  ['round', def(roundFilter)],
  ['slice', def(sliceFilter)],
  ['sort', def((_s, v, args, kw) => {
    const reverse = truthy(param(args, kw, 0, 'reverse', false));
    const caseSensitive = truthy(param(args, kw, 1, 'case_sensitive', false));
    const attribute = param(args, kw, 2, 'attribute', null);
    const get = attribute !== null ? attrGetter(attribute) : (x: unknown) => x;
    const key = sortKey(caseSensitive);
    return pySorted(pyIter(v), (x) => key(get(x)), reverse);
  })],
  ['string', def((_s, v) => pyStr(v))],
  ['striptags', def(str((s) => s.replace(/<!--[\s\S]*?-->|<[^>]*>/g, '').replace(/\s+/g, ' ').trim()))],
  ['sum', def((_s, v, args, kw) => {
    const attribute = param(args, kw, 0, 'attribute', null);
    let total: unknown = param(args, kw, 1, 'start', 0);
    let items = pyIter(v);
    if (attribute !== null) items = items.map(attrGetter(attribute));
    for (const x of items) total = addValues(total, x);
    return total;
  })],
  ['trim', def(str((s, args, kw) => {
    const chars = param(args, kw, 0, 'chars', null);
    if (chars === null) return s.trim();
    const set = new Set(pyStr(chars));
    let a = 0;
    let b = s.length;
    while (a < b && set.has(s[a])) a++;
    while (b > a && set.has(s[b - 1])) b--;
    return s.slice(a, b);
  }))],
  ['truncate', def(truncate)],
  ['unique', def((_s, v, args, kw) => {
    const caseSensitive = truthy(param(args, kw, 0, 'case_sensitive', false));
    const attribute = param(args, kw, 1, 'attribute', null);
    const get = attribute !== null ? attrGetter(attribute) : (x: unknown) => x;
    const key = sortKey(caseSensitive);
    return uniqueBy(pyIter(v), (x) => key(get(x)));
  })],
  ['urlencode', def((_s, v) => (isDict(v) ? Object.keys(v).map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(pyStr(v[k]))}`).join('&') : encodeURIComponent(pyStr(v)).replace(/%2F/g, '/')))],
  ['wordcount', def(str((s) => (s.match(/\w+/g) ?? []).length))],
  ['wordwrap', def(wordwrap)],
  ['tojson', def((_s, v) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/'/g, '\\u0027'))],
  ['xmlattr', def((_s, v) => (isDict(v) ? Object.keys(v).filter((k) => v[k] !== null && !(v[k] instanceof Undefined)).map((k) => ` ${k}="${pyStr(v[k]).replace(/&/g, '&amp;').replace(/"/g, '&#34;')}"`).join('') : ''))],
  ['call', def((_s, v, args, kw) => invoke(v, args, kw))],
  ['format_spec', def((_s, v, args, kw) => formatSpec(v, pyStr(param(args, kw, 0, 'spec', ''))))],
];

function addValues(a: unknown, b: unknown): unknown {
  if ((typeof a === 'number' || a instanceof PyFloat || typeof a === 'boolean') && (typeof b === 'number' || b instanceof PyFloat || typeof b === 'boolean')) {
    const r = num(a) + num(b);
    return isFloat(a) || isFloat(b) ? makeFloat(r) : r;
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.concat(b);
  if (b instanceof Undefined) throw b.error();
  return fail(`unsupported operand type(s) for +: '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

/** default(value, default_value='', boolean=False): replaces undefined (and falsy values when boolean) */
function defaultFilter(_s: Scope, v: unknown, args: unknown[], kw: Kwargs): unknown {
  const dflt = param(args, kw, 0, 'default_value', '');
  const boolean = truthy(param(args, kw, 1, 'boolean', false));
  if (v instanceof Undefined || (boolean && !truthy(v))) return dflt;
  return v;
}
