/** Global functions of Ansible's Jinja environment: range, lookup/query/q, dict, now. */
import { shortPluginName } from './parser';
import type { Kwargs, Scope } from './scope';
import { fail, isDict, isFloat, num, own, pyStr, pyTypeName, Undefined, PyFloat } from './values';

function intArg(v: unknown): number {
  if (v instanceof Undefined) throw v.error();
  if ((typeof v === 'number' && Number.isInteger(v)) || typeof v === 'boolean') return num(v);
  return fail(`'${v instanceof PyFloat || isFloat(v) ? 'float' : pyTypeName(v)}' object cannot be interpreted as an integer`);
}

/** Jinja caps range() at 100000 items (MAX_RANGE) */
const MAX_RANGE = 100000;

export function pyRange(args: unknown[]): number[] {
  let start = 0;
  let stop: number;
  let step = 1;
  if (args.length === 1) stop = intArg(args[0]);
  else if (args.length === 2 || args.length === 3) {
    start = intArg(args[0]);
    stop = intArg(args[1]);
    if (args.length === 3) step = intArg(args[2]);
  } else return fail(`range expected at most 3 arguments, got ${args.length}`);
  if (step === 0) fail('range() arg 3 must not be zero', 'runtime');
  const count = Math.max(0, Math.ceil((stop - start) / step));
  if (count > MAX_RANGE) fail(`Range too big. The sandbox blocks ranges larger than MAX_RANGE (${MAX_RANGE}).`, 'runtime');
  const out: number[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = start + i * step;
  return out;
}

function runLookup(s: Scope, args: unknown[], kwargs: Kwargs): unknown[] {
  if (args.length === 0) fail('lookup() requires the name of a lookup plugin', 'runtime');
  const name = shortPluginName(pyStr(args[0]));
  const plugin = s.env.lookups.get(name);
  if (!plugin) return fail(`lookup plugin (${name}) not found: lookup plugin ${name} is not supported by this runtime`, 'runtime');
  let opts: Kwargs = null;
  if (kwargs) {
    opts = {};
    for (const k of Object.keys(kwargs)) if (k !== 'wantlist' && k !== 'errors') opts[k] = kwargs[k];
  }
  const terms = args.slice(1).map((t) => {
    if (t instanceof Undefined) throw t.error();
    return t;
  });
  return plugin(terms, opts, s);
}

/** lookup(): a single result as is, several strings joined with ',' (Ansible's wantlist=False) */
function lookup(s: Scope, args: unknown[], kwargs: Kwargs): unknown {
  const results = runLookup(s, args, kwargs);
  if (kwargs && kwargs.wantlist) return results;
  if (results.length === 1) return results[0];
  if (results.every((r) => typeof r === 'string')) return results.join(',');
  return results;
}

function dict(_s: Scope, args: unknown[], kwargs: Kwargs): unknown {
  const out: Record<string, unknown> = {};
  if (args.length > 0) {
    const src = args[0];
    if (isDict(src)) Object.assign(out, src);
    else if (Array.isArray(src)) for (const p of src) out[pyStr((p as unknown[])[0])] = (p as unknown[])[1];
  }
  if (kwargs) Object.assign(out, kwargs);
  return out;
}

function now(_s: Scope, _args: unknown[], kwargs: Kwargs): unknown {
  const d = new Date();
  const fmt = kwargs && own(kwargs, 'fmt') ? kwargs.fmt : null;
  if (fmt === null || fmt === undefined) return d.toISOString().replace('T', ' ').replace('Z', '');
  return pyStr(fmt).replace(/%([YmdHMSf%])/g, (_m, c: string) => {
    const utc = !!(kwargs && kwargs.utc);
    const get = (fn: 'FullYear' | 'Month' | 'Date' | 'Hours' | 'Minutes' | 'Seconds' | 'Milliseconds') => (d as unknown as Record<string, () => number>)[`get${utc ? 'UTC' : ''}${fn}`]();
    switch (c) {
      case 'Y': return String(get('FullYear'));
      case 'm': return String(get('Month') + 1).padStart(2, '0');
      case 'd': return String(get('Date')).padStart(2, '0');
      case 'H': return String(get('Hours')).padStart(2, '0');
      case 'M': return String(get('Minutes')).padStart(2, '0');
      case 'S': return String(get('Seconds')).padStart(2, '0');
      case 'f': return String(get('Milliseconds') * 1000).padStart(6, '0');
      default: return '%';
    }
  });
}

/** Jinja's namespace(): the one object `{% set ns.x = ... %}` may write, to carry values out of loops */
export class Namespace {}

function namespace(_s: Scope, args: unknown[], kwargs: Kwargs): unknown {
  const ns = new Namespace() as Record<string, unknown>;
  if (args.length > 0 && isDict(args[0])) Object.assign(ns, args[0]);
  if (kwargs) Object.assign(ns, kwargs);
  return ns;
}

type GlobalFn = (s: Scope, args: unknown[], kwargs: Kwargs) => unknown;

export const GLOBALS: Record<string, GlobalFn> = {
  range: (_s, args) => pyRange(args),
  lookup,
  query: (s, args, kwargs) => runLookup(s, args, kwargs),
  q: (s, args, kwargs) => runLookup(s, args, kwargs),
  dict,
  now,
  namespace,
};

export function callGlobal(name: string, s: Scope, args: unknown[], kwargs: Kwargs): unknown {
  return GLOBALS[name](s, args, kwargs);
}
