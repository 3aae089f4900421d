/** Ansible's filters (ansible/plugins/filter/core.py, mathstuff.py, urlsplit.py). */
import { createHash, randomInt } from 'node:crypto';
import { homedir } from 'node:os';
import { posix } from 'node:path';
import { attrGetter } from './filters-jinja';
import { pyJsonDumps, pyJsonLoads } from './pyjson';
import { pyRegex, pyReplacement } from './pyregex';
import { fromYaml, fromYamlAll, pyYamlDump } from './pyyaml';
import type { FilterDef, FilterFn, Kwargs, Scope } from './scope';
import { param } from './tests';
import { fail, isDict, makeFloat, num, own, pyEquals, pyIter, pyStr, pyTypeName, PyFloat, truthy, tuple, Undefined, type Dict } from './values';

/** Ansible's to_bool: yes/on/1/true (any case) and 1 are True, None stays None, the rest False */
export function toBool(v: unknown): unknown {
  if (v === null || typeof v === 'boolean') return v;
  const x = typeof v === 'string' ? v.toLowerCase() : v;
  return x === 'yes' || x === 'on' || x === '1' || x === 'true' || x === 1 || (x instanceof PyFloat && x.value === 1);
}

function regexFlags(args: unknown[], kw: Kwargs, first: number): { ignorecase: boolean; multiline: boolean } {
  return { ignorecase: truthy(param(args, kw, first, 'ignorecase', false)), multiline: truthy(param(args, kw, first + 1, 'multiline', false)) };
}

const regexReplace: FilterFn = (_s, v, args, kw) => {
  const value = pyStr(v);
  const pattern = pyStr(param(args, kw, 0, 'pattern', ''));
  const replacement = pyStr(param(args, kw, 1, 'replacement', ''));
  const flags = regexFlags(args, kw, 2);
  const count = num((param(args, kw, 4, 'count', 0) as number) ?? 0);
  const mandatoryCount = num((param(args, kw, 5, 'mandatory_count', 0) as number) ?? 0);
  const re = pyRegex(pattern, flags, 'g');
  const repl = pyReplacement(replacement);
  let n = 0;
  const out = value.replace(re, (...m: unknown[]) => {
    const groupsObj = typeof m[m.length - 1] === 'object' ? (m[m.length - 1] as Record<string, string>) : undefined;
    const match = m.slice(0, groupsObj ? -3 : -2) as string[] & { groups?: Record<string, string> };
    match.groups = groupsObj;
    if (count > 0 && n >= count) return match[0];
    n++;
    return repl(match as unknown as RegExpMatchArray);
  });
  if (mandatoryCount && n !== mandatoryCount) fail(`'${pattern}' should match ${mandatoryCount} times, but matches ${n} times in '${value}'`, 'filter');
  return out;
};

const regexSearch: FilterFn = (_s, v, args, kw) => {
  const value = pyStr(v);
  const pattern = pyStr(param(args, kw, 0, 'regex'));
  const groups: (number | string)[] = [];
  for (const a of args.slice(1)) {
    const g = pyStr(a);
    const m = /^\\(\d+)$/.exec(g) ?? /^\\g<(\d+)>$/.exec(g);
    if (m) groups.push(Number(m[1]));
    else {
      const named = /^\\g<(\w+)>$/.exec(g);
      if (!named) fail(`Unknown argument`, 'filter');
      groups.push(named[1]);
    }
  }
  const re = pyRegex(pattern, { ignorecase: truthy(kw?.ignorecase ?? false), multiline: truthy(kw?.multiline ?? false) });
  const m = re.exec(value);
  if (!m) return null;
  if (groups.length === 0) return m[0];
  return groups.map((g) => (typeof g === 'number' ? (m[g] ?? null) : (m.groups?.[g] ?? null)));
};

const regexFindall: FilterFn = (_s, v, args, kw) => {
  const value = pyStr(v);
  const pattern = pyStr(param(args, kw, 0, 'regex'));
  const flags = { multiline: truthy(param(args, kw, 1, 'multiline', false)), ignorecase: truthy(param(args, kw, 2, 'ignorecase', false)) };
  const re = pyRegex(pattern, flags, 'g');
  const out: unknown[] = [];
  for (const m of value.matchAll(re)) {
    if (m.length === 1) out.push(m[0]);
    else if (m.length === 2) out.push(m[1] ?? '');
    else out.push(tuple(m.slice(1).map((g) => g ?? '')));
  }
  return out;
};

/** Python shlex.quote */
export function shellQuote(s: string): string {
  if (s === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return "'" + s.replace(/'/g, `'"'"'`) + "'";
}

function combineTwo(a: Dict, b: Dict, recursive: boolean, listMerge: string): Dict {
  const out: Dict = { ...a };
  for (const k of Object.keys(b)) {
    const x = out[k];
    const y = b[k];
    if (recursive && isDict(x) && isDict(y)) out[k] = combineTwo(x, y, recursive, listMerge);
    else if (Array.isArray(x) && Array.isArray(y) && listMerge !== 'replace') {
      switch (listMerge) {
        case 'keep': out[k] = x; break;
        case 'append': out[k] = x.concat(y); break;
        case 'prepend': out[k] = y.concat(x); break;
        case 'append_rp': out[k] = x.filter((e) => !y.some((f) => pyEquals(e, f))).concat(y); break;
        case 'prepend_rp': out[k] = y.concat(x.filter((e) => !y.some((f) => pyEquals(e, f)))); break;
        default: fail(`'${listMerge}' is not a valid list_merge value`, 'filter');
      }
    } else out[k] = y;
  }
  return out;
}

const combine: FilterFn = (_s, v, args, kw) => {
  const recursive = truthy(kw?.recursive ?? false);
  const listMerge = pyStr(kw?.list_merge ?? 'replace');
  if (kw) for (const k of Object.keys(kw)) if (k !== 'recursive' && k !== 'list_merge') fail(`'${k}' is an invalid keyword argument for combine()`, 'filter');
  const terms = [v, ...args].flatMap((t) => (Array.isArray(t) ? t : [t]));
  let out: Dict = {};
  for (const t of terms) {
    if (t instanceof Undefined) throw t.error();
    if (!isDict(t)) fail(`failed to combine variables, expected dicts but got a '${pyTypeName(t)}'`, 'filter');
    out = combineTwo(out, t, recursive, listMerge);
  }
  return out;
};

function flatten(items: unknown[], levels: number | null, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const x of items) {
    if (skipNulls && (x === null || x === 'None')) continue;
    if (Array.isArray(x) && (levels === null || levels > 0)) out.push(...flatten(x, levels === null ? null : levels - 1, skipNulls));
    else out.push(x);
  }
  return out;
}

function hashOf(data: unknown, type: string): string {
  const algo = type === 'sha1' || type === 'md5' || type === 'sha224' || type === 'sha256' || type === 'sha384' || type === 'sha512' ? type : fail(`unsupported hash type ${type}`, 'filter');
  return createHash(algo).update(pyStr(data), 'utf8').digest('hex');
}

function toUuid(s: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(Buffer.concat([ns, Buffer.from(s, 'utf8')])).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function zipLists(lists: unknown[][], longest: boolean, fill: unknown): unknown[][] {
  const n = lists.length === 0 ? 0 : longest ? Math.max(...lists.map((l) => l.length)) : Math.min(...lists.map((l) => l.length));
  const out: unknown[][] = [];
  for (let i = 0; i < n; i++) out.push(tuple(lists.map((l) => (i < l.length ? l[i] : fill))));
  return out;
}

function product(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((prefix) => l.map((x) => [...prefix, x])), [[]]).map(tuple);
}

function permutationTuples(items: unknown[], r: number): unknown[][] {
  return permutations(items, r).map(tuple);
}

function permutations(items: unknown[], r: number): unknown[][] {
  if (r === 0) return [[]];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)], r - 1).map((p) => [x, ...p]));
}

function combinationTuples(items: unknown[], r: number): unknown[][] {
  return combinations(items, r).map(tuple);
}

function combinations(items: unknown[], r: number): unknown[][] {
  if (r === 0) return [[]];
  return items.flatMap((x, i) => combinations(items.slice(i + 1), r - 1).map((c) => [x, ...c]));
}

const has = (list: unknown[], x: unknown) => list.some((y) => pyEquals(x, y));
function uniq(items: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of items) if (!has(out, x)) out.push(x);
  return out;
}

function humanReadable(size: number, isBits: boolean, unit: string | null): string {
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
  const suffix = isBits ? 'b' : 'B';
  let i = 0;
  if (unit) i = Math.max(0, units.indexOf(unit[0].toUpperCase()));
  else while (i < units.length - 1 && Math.abs(size) >= 1024 ** (i + 1)) i++;
  const v = size / 1024 ** i;
  return `${v.toFixed(2)} ${units[i]}${i === 0 ? (isBits ? 'bits' : 'Bytes') : suffix}`;
}

function humanToBytes(s: string, isBits: boolean): number {
  const m = /^\s*(\d*\.?\d+)\s*([KMGTPEZY]?)(i?)(b|bit|bits|B|byte|bytes)?\s*$/i.exec(s);
  if (!m) return fail(`human_to_bytes() can't interpret following string: ${s}`, 'filter');
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
  const n = Number(m[1]) * 1024 ** units.indexOf(m[2].toUpperCase());
  void isBits;
  return Math.round(n);
}

function urlsplit(v: string, query: string | null): unknown {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(v)!;
  const netloc = m[2] ?? '';
  const hm = /^(?:([^:@]*)(?::([^@]*))?@)?(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(netloc);
  const parts: Dict = {
    scheme: (m[1] ?? '').toLowerCase(),
    netloc,
    path: m[3] ?? '',
    query: m[4] ?? '',
    fragment: m[5] ?? '',
    username: hm?.[1] ?? null,
    password: hm?.[2] ?? null,
    hostname: hm?.[3] ? hm[3].toLowerCase().replace(/^\[|\]$/g, '') : null,
    port: hm?.[4] ? Number(hm[4]) : null,
  };
  if (query === null) return parts;
  if (!own(parts, query)) fail(`urlsplit: unknown URL component: ${query}`, 'filter');
  return parts[query];
}

function strftime(_s: Scope, v: unknown, args: unknown[], kw: Kwargs): unknown {
  const fmt = pyStr(v);
  const second = param(args, kw, 0, 'second', null);
  const utc = truthy(param(args, kw, 1, 'utc', false));
  const d = second === null ? new Date() : new Date(Number(pyStr(second)) * 1000);
  const g = (f: string) => (d as unknown as Record<string, () => number>)[`get${utc ? 'UTC' : ''}${f}`]();
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const p2 = (n: number) => String(n).padStart(2, '0');
  return fmt.replace(/%([a-zA-Z%])/g, (m, c: string) => {
    switch (c) {
      case 'Y': return String(g('FullYear'));
      case 'y': return p2(g('FullYear') % 100);
      case 'm': return p2(g('Month') + 1);
      case 'd': return p2(g('Date'));
      case 'H': return p2(g('Hours'));
      case 'I': return p2(((g('Hours') + 11) % 12) + 1);
      case 'p': return g('Hours') < 12 ? 'AM' : 'PM';
      case 'M': return p2(g('Minutes'));
      case 'S': return p2(g('Seconds'));
      case 'f': return String(g('Milliseconds') * 1000).padStart(6, '0');
      case 'a': return days[g('Day')].slice(0, 3);
      case 'A': return days[g('Day')];
      case 'b': return months[g('Month')].slice(0, 3);
      case 'B': return months[g('Month')];
      case 's': return String(Math.floor(d.getTime() / 1000));
      case 'j': return String(Math.floor((Date.UTC(g('FullYear'), g('Month'), g('Date')) - Date.UTC(g('FullYear'), 0, 1)) / 86400000) + 1).padStart(3, '0');
      case 'z': return utc ? '+0000' : (() => { const o = -d.getTimezoneOffset(); return (o >= 0 ? '+' : '-') + p2(Math.floor(Math.abs(o) / 60)) + p2(Math.abs(o) % 60); })();
      case 'Z': return utc ? 'UTC' : '';
      case '%': return '%';
      default: return m;
    }
  });
}

function extract(_s: Scope, item: unknown, args: unknown[], kw: Kwargs): unknown {
  const container = param(args, kw, 0, 'container');
  const morekeys = param(args, kw, 1, 'morekeys', null);
  const step = (c: unknown, k: unknown): unknown => {
    if (c instanceof Undefined) throw c.error();
    if (isDict(c)) {
      const key = pyStr(k);
      return own(c, key) ? c[key] : new Undefined(`'dict object' has no attribute '${key}'`, -1, -1);
    }
    if (Array.isArray(c) && typeof k === 'number') return k < c.length && k >= -c.length ? c.at(k) : new Undefined(`list object has no element ${k}`, -1, -1);
    return new Undefined(`'${pyTypeName(c)} object' has no attribute '${pyStr(k)}'`, -1, -1);
  };
  let value = step(container, item);
  const keys = morekeys === null ? [] : Array.isArray(morekeys) ? morekeys : [morekeys];
  for (const k of keys) value = step(value, k);
  return value;
}

function subelements(_s: Scope, v: unknown, args: unknown[], kw: Kwargs): unknown {
  const subelement = pyStr(param(args, kw, 0, 'subelements'));
  const skipMissing = truthy(param(args, kw, 1, 'skip_missing', false));
  const items = Array.isArray(v) ? v : isDict(v) ? Object.values(v) : fail('obj must be a list of dicts or a nested dict', 'filter');
  const out: unknown[] = [];
  for (const el of items) {
    let values: unknown = el;
    for (const part of subelement.split('.')) {
      if (!isDict(values) || !own(values, part)) {
        if (skipMissing) {
          values = [];
          break;
        }
        return fail(`could not find '${part}' key in iterated item '${pyStr(el)}'`, 'filter');
      }
      values = values[part];
    }
    if (!Array.isArray(values)) fail('the key %s should point to a list, got %r'.replace('%s', subelement).replace('%r', pyStr(values)), 'filter');
    for (const x of values) out.push([el, x]);
  }
  return out;
}

const def = (fn: FilterFn): FilterDef => ({ fn });
const s1 = (f: (s: string) => unknown): FilterDef => def((_s, v) => f(pyStr(v)));

export const ANSIBLE_FILTERS: [string, FilterDef][] = [
  ['bool', def((_s, v) => toBool(v))],
  ['mandatory', {
    acceptsUndefined: true,
    fn: (_s, v, args, kw) => {
      if (!(v instanceof Undefined)) return v;
      const msg = param(args, kw, 0, 'msg', null);
      if (msg !== null) fail(pyStr(msg), 'filter');
      const name = v.name !== undefined ? `'${v.name}' ` : '';
      return fail(`Mandatory variable ${name} not defined.`, 'filter');
    },
  }],
  ['type_debug', { acceptsUndefined: true, fn: (_s, v) => pyTypeName(v) }],
  ['ternary', def((_s, v, args, kw) => {
    const noneVal = param(args, kw, 2, 'none_val', null);
    if (v === null && noneVal !== null) return noneVal;
    return truthy(v) ? param(args, kw, 0, 'true_val') : param(args, kw, 1, 'false_val');
  })],
  ['to_json', def((_s, v, args, kw) => pyJsonDumps(v, {
    indent: (kw?.indent as number | undefined) ?? null,
    sortKeys: truthy(kw?.sort_keys ?? false),
    ensureAscii: truthy(kw?.ensure_ascii ?? true),
    itemSep: Array.isArray(kw?.separators) ? pyStr((kw!.separators as unknown[])[0]) : ', ',
    keySep: Array.isArray(kw?.separators) ? pyStr((kw!.separators as unknown[])[1]) : ': ',
  }))],
  ['to_nice_json', def((_s, v, args, kw) => pyJsonDumps(v, {
    indent: num(param(args, kw, 0, 'indent', 4) as number),
    sortKeys: truthy(param(args, kw, 1, 'sort_keys', true)),
    ensureAscii: truthy(kw?.ensure_ascii ?? true),
    itemSep: ',',
    keySep: ': ',
  }))],
  ['from_json', def((_s, v) => pyJsonLoads(pyStr(v)))],
  ['to_yaml', def((_s, v, args, kw) => pyYamlDump(v, num((kw?.indent as number) ?? 2), kw?.default_flow_style !== false))],
  ['to_nice_yaml', def((_s, v, args, kw) => pyYamlDump(v, num(param(args, kw, 0, 'indent', 4) as number), false))],
  ['from_yaml', def((_s, v) => (typeof v === 'string' ? fromYaml(v) : v))],
  ['from_yaml_all', def((_s, v) => (typeof v === 'string' ? fromYamlAll(v) : v))],
  ['regex_replace', def(regexReplace)],
  ['regex_search', def(regexSearch)],
  ['regex_findall', def(regexFindall)],
  ['regex_escape', def((_s, v) => pyStr(v).replace(/[^A-Za-z0-9_]/g, (c) => '\\' + c))],
  ['basename', s1((p) => posix.basename(p) === '' || p.endsWith('/') ? '' : p.slice(p.lastIndexOf('/') + 1))],
  ['dirname', s1((p) => {
    const i = p.lastIndexOf('/') + 1;
    const head = p.slice(0, i);
    return head && !/^\/+$/.test(head) ? head.replace(/\/+$/, '') : head;
  })],
  ['expanduser', s1((p) => (p === '~' || p.startsWith('~/') ? homedir() + p.slice(1) : p))],
  ['realpath', s1((p) => posix.resolve(p))],
  ['relpath', def((_s, v, args, kw) => posix.relative(pyStr(param(args, kw, 0, 'start', process.cwd())), pyStr(v)))],
  ['splitext', s1((p) => {
    const base = p.slice(p.lastIndexOf('/') + 1);
    const dot = base.lastIndexOf('.');
    if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return tuple([p, '']);
    const cut = p.length - base.length + dot;
    return tuple([p.slice(0, cut), p.slice(cut)]);
  })],
  ['path_join', def((_s, v) => {
    const parts = Array.isArray(v) ? v.map((x) => pyStr(x)) : [pyStr(v)];
    let out = '';
    for (const p of parts) out = p.startsWith('/') || out === '' ? p : out.endsWith('/') ? out + p : out + '/' + p;
    return out;
  })],
  ['quote', s1(shellQuote)],
  ['b64encode', def((_s, v, args, kw) => Buffer.from(pyStr(v), (pyStr(param(args, kw, 0, 'encoding', 'utf-8')).replace('-', '') as BufferEncoding)).toString('base64'))],
  ['b64decode', def((_s, v, args, kw) => Buffer.from(pyStr(v), 'base64').toString(pyStr(param(args, kw, 0, 'encoding', 'utf-8')).replace('-', '') as BufferEncoding))],
  ['hash', def((_s, v, args, kw) => hashOf(v, pyStr(param(args, kw, 0, 'hashtype', 'sha1'))))],
  ['md5', def((_s, v) => hashOf(v, 'md5'))],
  ['sha1', def((_s, v) => hashOf(v, 'sha1'))],
  ['checksum', def((_s, v) => hashOf(v, 'sha1'))],
  ['to_uuid', def((_s, v, args, kw) => toUuid(pyStr(v), pyStr(param(args, kw, 0, 'namespace', '361E6D51-FAEC-444A-9079-341386DA8E2E'))))],
  ['combine', def(combine)],
  ['dict2items', def((_s, v, args, kw) => {
    if (!isDict(v)) fail(`dict2items requires a dictionary, got ${pyTypeName(v)} instead.`, 'filter');
    const k = pyStr(param(args, kw, 0, 'key_name', 'key'));
    const val = pyStr(param(args, kw, 1, 'value_name', 'value'));
    return Object.keys(v).map((key) => ({ [k]: key, [val]: v[key] }));
  })],
  ['items2dict', def((_s, v, args, kw) => {
    const k = pyStr(param(args, kw, 0, 'key_name', 'key'));
    const val = pyStr(param(args, kw, 1, 'value_name', 'value'));
    if (!Array.isArray(v)) fail(`items2dict requires a list, got ${pyTypeName(v)} instead.`, 'filter');
    const out: Dict = {};
    for (const item of v) {
      if (!isDict(item)) fail(`items2dict requires a list of dictionaries, got ${pyTypeName(item)} instead.`, 'filter');
      if (!own(item, k) || !own(item, val)) fail(`items2dict requires each dictionary in the list to contain the keys '${k}' and '${val}', got ${pyStr(item)} instead.`, 'filter');
      out[pyStr(item[k])] = item[val];
    }
    return out;
  })],
  ['zip', def((_s, v, args) => zipLists([v, ...args].map(pyIter), false, null))],
  ['zip_longest', def((_s, v, args, kw) => zipLists([v, ...args].map(pyIter), true, kw?.fillvalue ?? null))],
  ['flatten', def((_s, v, args, kw) => {
    const levels = param(args, kw, 0, 'levels', null);
    return flatten(pyIter(v), levels === null ? null : num(levels as number), truthy(param(args, kw, 1, 'skip_nulls', true)));
  })],
  ['product', def((_s, v, args) => product([v, ...args].map(pyIter)))],
  ['permutations', def((_s, v, args, kw) => {
    const items = pyIter(v);
    return permutationTuples(items, num((param(args, kw, 0, 'r', items.length) as number) ?? items.length));
  })],
  ['combinations', def((_s, v, args, kw) => combinationTuples(pyIter(v), num(param(args, kw, 0, 'r') as number)))],
  ['union', def((_s, v, args) => uniq([...pyIter(v), ...pyIter(args[0])]))],
  ['intersect', def((_s, v, args) => uniq(pyIter(v).filter((x) => has(pyIter(args[0]), x))))],
  ['difference', def((_s, v, args) => uniq(pyIter(v).filter((x) => !has(pyIter(args[0]), x))))],
  ['symmetric_difference', def((_s, v, args) => {
    const a = pyIter(v);
    const b = pyIter(args[0]);
    return uniq([...a.filter((x) => !has(b, x)), ...b.filter((x) => !has(a, x))]);
  })],
  ['log', def((_s, v, args, kw) => {
    const base = param(args, kw, 0, 'base', null);
    const x = num(v as number);
    return makeFloat(base === null ? Math.log(x) : Math.log(x) / Math.log(num(base as number)));
  })],
  ['pow', def((_s, v, args) => makeFloat(num(v as number) ** num(args[0] as number)))],
  ['root', def((_s, v, args, kw) => {
    const base = num((param(args, kw, 0, 'base', 2) as number) ?? 2);
    return makeFloat(base === 2 ? Math.sqrt(num(v as number)) : num(v as number) ** (1 / base));
  })],
  ['human_readable', def((_s, v, args, kw) => humanReadable(num(Number(pyStr(v))), truthy(param(args, kw, 0, 'isbits', false)), (param(args, kw, 1, 'unit', null) as string | null) ?? null))],
  ['human_to_bytes', def((_s, v, args, kw) => humanToBytes(pyStr(v), truthy(param(args, kw, 1, 'isbits', false))))],
  ['random', def((_s, v, args, kw) => {
    if (typeof v === 'number') {
      const start = num((param(args, kw, 0, 'start', 0) as number) ?? 0);
      const step = num((param(args, kw, 1, 'step', 1) as number) ?? 1);
      const n = Math.ceil((v - start) / step);
      return start + randomInt(Math.max(1, n)) * step;
    }
    const items = pyIter(v);
    return items.length ? items[randomInt(items.length)] : fail('Cannot choose from an empty sequence', 'filter');
  })],
  ['shuffle', def((_s, v) => {
    const items = pyIter(v).slice();
    for (let i = items.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  })],
  ['split', def((_s, v, args, kw) => {
    const sep = param(args, kw, 0, 'sep', null);
    const s = pyStr(v);
    if (sep === null) return s.split(/\s+/).filter(Boolean);
    return s.split(pyStr(sep));
  })],
  ['comment', def((_s, v, args, kw) => {
    const style = pyStr(param(args, kw, 0, 'style', 'plain'));
    const prefix = style === 'c' ? '// ' : style === 'erlang' ? '% ' : '# ';
    const decoration = kw && own(kw, 'decoration') ? pyStr(kw.decoration) : prefix;
    const lines = pyStr(v).split('\n').map((l) => (decoration + l).replace(/\s+$/, ''));
    const bar = decoration.replace(/\s+$/, '');
    return [bar, ...lines, bar].join('\n');
  })],
  ['strftime', def(strftime)],
  ['to_datetime', def((_s, v, args, kw) => {
    const fmt = pyStr(param(args, kw, 0, 'format', '%Y-%m-%d %H:%M:%S'));
    const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(pyStr(v));
    if (!m || fmt !== '%Y-%m-%d %H:%M:%S') return fail(`time data '${pyStr(v)}' does not match format '${fmt}'`, 'filter');
    return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}`;
  })],
  ['urlsplit', def((_s, v, args, kw) => urlsplit(pyStr(v), (param(args, kw, 0, 'query', null) as string | null) ?? null))],
  ['extract', def(extract)],
  ['subelements', def(subelements)],
  ['rekey_on_member', def((_s, v, args, kw) => {
    const key = pyStr(param(args, kw, 0, 'key'));
    const out: Dict = {};
    for (const item of Array.isArray(v) ? v : isDict(v) ? Object.values(v) : []) {
      if (!isDict(item) || !own(item, key)) fail(`Key ${key} was not found`, 'filter');
      out[pyStr(item[key])] = item;
    }
    return out;
  })],
];

