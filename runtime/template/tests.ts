/** Jinja's and Ansible's tests (`x is defined`, `r is failed`, `v is version('2.10', '>=')`, ...). */
import { existsSync, lstatSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { pyRegex } from './pyregex';
import type { Kwargs, Scope, TestDef, TestFn } from './scope';
import {
  BoundMethod,
  fail,
  isDict,
  isFloat,
  num,
  own,
  pyCompare,
  pyContains,
  pyEquals,
  pyIter,
  pyStr,
  PyFloat,
  truthy,
  Undefined,
} from './values';

export function param(args: unknown[], kwargs: Kwargs, i: number, name: string, dflt?: unknown): unknown {
  if (i < args.length) return args[i];
  if (kwargs && own(kwargs, name)) return kwargs[name];
  return dflt;
}

function resultDict(v: unknown, test: string): Record<string, unknown> {
  if (!isDict(v)) fail(`The '${test}' test expects a dictionary`, 'filter');
  return v;
}

const failed: TestFn = (_s, v) => truthy(resultDict(v, 'failed').failed ?? false);
const changed: TestFn = (_s, v) => {
  const r = resultDict(v, 'changed');
  if (!own(r, 'changed')) {
    const results = r.results;
    if (Array.isArray(results) && isDict(results[0])) return results.some((x) => isDict(x) && truthy(x.changed ?? false));
    return false;
  }
  return truthy(r.changed ?? false);
};
const skipped: TestFn = (_s, v) => truthy(resultDict(v, 'skipped').skipped ?? false);
const unreachable: TestFn = (_s, v) => truthy(resultDict(v, 'unreachable').unreachable ?? false);
/** async results: `finished`/`started` are 0/1 (2.14-2.18) or booleans (2.19); other results count as done */
const finished: TestFn = (_s, v) => {
  const r = resultDict(v, 'finished');
  return own(r, 'finished') ? pyEquals(r.finished ?? 0, 1) : true;
};
const started: TestFn = (_s, v) => {
  const r = resultDict(v, 'started');
  return own(r, 'started') ? pyEquals(r.started ?? 0, 1) : true;
};

function regexTest(mode: 'match' | 'search' | 'fullmatch'): TestFn {
  return (_s, v, args, kw) => {
    const pattern = pyStr(param(args, kw, 0, 'pattern', ''));
    const ignorecase = truthy(param(args, kw, 1, 'ignorecase', false));
    const multiline = truthy(param(args, kw, 2, 'multiline', false));
    const re = pyRegex(mode === 'fullmatch' ? `(?:${pattern})$(?![\\s\\S])` : pattern, { ignorecase, multiline }, mode === 'search' ? '' : 'y');
    re.lastIndex = 0;
    return re.test(typeof v === 'string' ? v : pyStr(v));
  };
}

/** ansible.module_utils.compat.version.LooseVersion components */
function looseParts(v: string): (number | string)[] {
  return v
    .split(/(\d+|[a-z]+|\.)/i)
    .filter((p) => p && p !== '.')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function compareLoose(a: string, b: string): number {
  const pa = looseParts(a);
  const pb = looseParts(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    if (typeof x !== typeof y) fail(`Version comparison failed: '<' not supported between instances of '${typeof x === 'number' ? 'int' : 'str'}' and '${typeof y === 'number' ? 'int' : 'str'}'`, 'filter');
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

function compareStrict(a: string, b: string): number {
  const parse = (s: string) => {
    const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:([ab])(\d+))?$/.exec(s);
    if (!m) return fail(`Version comparison failed: invalid version number '${s}'`, 'filter');
    return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0), m[4] ? (m[4] === 'a' ? -2 : -1) : 0, Number(m[5] ?? 0)];
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/** semver 2.0 precedence: numeric core, then prerelease identifiers; build metadata ignored */
function compareSemver(a: string, b: string): number {
  const parse = (s: string) => {
    const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(s);
    if (!m) return fail(`Version comparison failed: invalid semantic version '${s}'`, 'filter');
    return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.') : [] };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return x.core[i] - y.core[i];
  if (!x.pre.length || !y.pre.length) return y.pre.length - x.pre.length;
  for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) - Number(q);
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return x.pre.length - y.pre.length;
}

const VERSION_OPS: Record<string, (c: number) => boolean> = {
  '==': (c) => c === 0, '=': (c) => c === 0, eq: (c) => c === 0,
  '<': (c) => c < 0, lt: (c) => c < 0,
  '<=': (c) => c <= 0, le: (c) => c <= 0,
  '>': (c) => c > 0, gt: (c) => c > 0,
  '>=': (c) => c >= 0, ge: (c) => c >= 0,
  '!=': (c) => c !== 0, '<>': (c) => c !== 0, ne: (c) => c !== 0,
};

export const versionTest: TestFn = (_s, v, args, kw) => {
  const other = param(args, kw, 0, 'version');
  const op = pyStr(param(args, kw, 1, 'operator', 'eq'));
  const strict = truthy(param(args, kw, 2, 'strict', false));
  const type = param(args, kw, 3, 'version_type', null);
  if (other === null || other === undefined || other === '') fail('Version parameter to compare against cannot be empty', 'filter');
  const check = VERSION_OPS[op];
  if (!check) fail(`Invalid operator type (${op})`, 'filter');
  const a = pyStr(v);
  const b = pyStr(other);
  const cmp = type === 'semver' || type === 'semantic' ? compareSemver(a, b) : strict || type === 'strict' ? compareStrict(a, b) : compareLoose(a, b);
  return check(cmp);
};

function isSequence(v: unknown): boolean {
  return typeof v === 'string' || Array.isArray(v) || isDict(v);
}

function subset(a: unknown, b: unknown): boolean {
  const bs = pyIter(b);
  return pyIter(a).every((x) => bs.some((y) => pyEquals(x, y)));
}

function pathTest(check: (p: string) => boolean): TestFn {
  return (_s, v) => {
    try {
      return check(pyStr(v));
    } catch {
      return false;
    }
  };
}

const plain = (fn: TestFn): TestDef => ({ fn });
const lenient = (fn: TestFn): TestDef => ({ fn, acceptsUndefined: true });

const cmp = (op: (c: number) => boolean, sym: string): TestFn => (_s, v, args, kw) => op(pyCompare(v, param(args, kw, 0, 'other'), sym));

export const TESTS: ReadonlyMap<string, TestDef> = new Map<string, TestDef>([
  ['defined', lenient((_s, v) => !(v instanceof Undefined))],
  ['undefined', lenient((_s, v) => v instanceof Undefined)],
  ['none', lenient((_s, v) => v === null)],
  ['failed', plain(failed)],
  ['failure', plain(failed)],
  ['succeeded', plain((s, v, a, k) => !failed(s, v, a, k))],
  ['success', plain((s, v, a, k) => !failed(s, v, a, k))],
  ['successful', plain((s, v, a, k) => !failed(s, v, a, k))],
  ['changed', plain(changed)],
  ['change', plain(changed)],
  ['skipped', plain(skipped)],
  ['skip', plain(skipped)],
  ['unreachable', plain(unreachable)],
  ['reachable', plain((s, v, a, k) => !unreachable(s, v, a, k))],
  ['finished', plain(finished)],
  ['started', plain(started)],
  ['match', plain(regexTest('match'))],
  ['search', plain(regexTest('search'))],
  ['regex', plain((s, v, args, kw) => regexTest(param(args, kw, 3, 'match_type', 'search') === 'match' ? 'match' : param(args, kw, 3, 'match_type', 'search') === 'fullmatch' ? 'fullmatch' : 'search')(s, v, args, kw))],
  ['in', plain((_s, v, args, kw) => pyContains(param(args, kw, 0, 'seq'), v))],
  ['contains', plain((_s, v, args, kw) => pyContains(v, param(args, kw, 0, 'value')))],
  ['string', lenient((_s, v) => typeof v === 'string')],
  ['number', lenient((_s, v) => typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat)],
  ['integer', lenient((_s, v) => typeof v === 'number' && Number.isInteger(v))],
  ['float', lenient((_s, v) => isFloat(v))],
  ['boolean', lenient((_s, v) => typeof v === 'boolean')],
  ['mapping', lenient((_s, v) => isDict(v))],
  ['sequence', lenient((_s, v) => isSequence(v))],
  ['iterable', lenient((_s, v) => isSequence(v))],
  ['callable', lenient((_s, v) => v instanceof BoundMethod || typeof v === 'function')],
  ['truthy', plain((_s, v, args, kw) => (truthy(param(args, kw, 0, 'convert_bool', false)) ? convertBool(v) : truthy(v)))],
  ['falsy', plain((_s, v, args, kw) => !(truthy(param(args, kw, 0, 'convert_bool', false)) ? convertBool(v) : truthy(v)))],
  ['version', plain(versionTest)],
  ['version_compare', plain(versionTest)],
  ['sameas', lenient((_s, v, args, kw) => {
    const o = param(args, kw, 0, 'other');
    return v === o || (v instanceof PyFloat && o instanceof PyFloat && v.value === o.value);
  })],
  ['subset', plain((_s, v, args, kw) => subset(v, param(args, kw, 0, 'b')))],
  ['issubset', plain((_s, v, args, kw) => subset(v, param(args, kw, 0, 'b')))],
  ['superset', plain((_s, v, args, kw) => subset(param(args, kw, 0, 'b'), v))],
  ['issuperset', plain((_s, v, args, kw) => subset(param(args, kw, 0, 'b'), v))],
  ['odd', plain((_s, v) => num(v as number) % 2 !== 0)],
  ['even', plain((_s, v) => num(v as number) % 2 === 0)],
  ['divisibleby', plain((_s, v, args, kw) => num(v as number) % num(param(args, kw, 0, 'num') as number) === 0)],
  ['eq', plain((_s, v, args, kw) => pyEquals(v, param(args, kw, 0, 'other')))],
  ['equalto', plain((_s, v, args, kw) => pyEquals(v, param(args, kw, 0, 'other')))],
  ['==', plain((_s, v, args, kw) => pyEquals(v, param(args, kw, 0, 'other')))],
  ['ne', plain((_s, v, args, kw) => !pyEquals(v, param(args, kw, 0, 'other')))],
  ['!=', plain((_s, v, args, kw) => !pyEquals(v, param(args, kw, 0, 'other')))],
  ['lt', plain(cmp((c) => c < 0, '<'))],
  ['<', plain(cmp((c) => c < 0, '<'))],
  ['lessthan', plain(cmp((c) => c < 0, '<'))],
  ['le', plain(cmp((c) => c <= 0, '<='))],
  ['<=', plain(cmp((c) => c <= 0, '<='))],
  ['gt', plain(cmp((c) => c > 0, '>'))],
  ['>', plain(cmp((c) => c > 0, '>'))],
  ['greaterthan', plain(cmp((c) => c > 0, '>'))],
  ['ge', plain(cmp((c) => c >= 0, '>='))],
  ['>=', plain(cmp((c) => c >= 0, '>='))],
  ['lower', plain((_s, v) => typeof v === 'string' && v === v.toLowerCase())],
  ['upper', plain((_s, v) => typeof v === 'string' && v === v.toUpperCase())],
  ['any', plain((_s, v) => pyIter(v).some(truthy))],
  ['all', plain((_s, v) => pyIter(v).every(truthy))],
  ['filter', plain((s, v) => typeof v === 'string' && s.env.filters.has(v))],
  ['test', plain((s, v) => typeof v === 'string' && s.env.tests.has(v))],
  ['abs', plain((_s, v) => isAbsolute(pyStr(v)))],
  ['exists', plain(pathTest((p) => existsSync(p)))],
  ['file', plain(pathTest((p) => statSync(p).isFile()))],
  ['directory', plain(pathTest((p) => statSync(p).isDirectory()))],
  ['link', plain(pathTest((p) => lstatSync(p).isSymbolicLink()))],
  ['mount', plain(pathTest((p) => p === '/'))],
  ['nan', plain((_s, v) => typeof v === 'number' && Number.isNaN(v))],
  ['vault_encrypted', lenient(() => false)],
  ['vaulted_file', lenient(() => false)],
  ['escaped', lenient(() => false)],
]);

/** Ansible's `truthy(convert_bool=True)`: strings like 'yes'/'no' as booleans */
function convertBool(v: unknown): boolean {
  if (typeof v === 'string') {
    const l = v.toLowerCase();
    if (['yes', 'on', '1', 'true', 'y', 't'].includes(l)) return true;
    if (['no', 'off', '0', 'false', 'n', 'f', ''].includes(l)) return false;
  }
  return truthy(v);
}
