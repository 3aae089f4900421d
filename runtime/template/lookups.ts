/**
 * Lookup plugins that run on the controller. `env` and `file` are built in; others can be registered
 * by the caller (TemplateOptions.lookups). Unknown ones fail with a clear message.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { readKey } from './access';
import type { Kwargs, LookupFn } from './scope';
import { fail, pyStr } from './values';

function envLookup(terms: unknown[], kwargs: Kwargs): unknown[] {
  const dflt = kwargs && 'default' in kwargs ? kwargs.default : '';
  return terms.map((t) => {
    const v = process.env[pyStr(t)];
    return v === undefined ? dflt : v;
  });
}

const fileLookup: LookupFn = (terms, kwargs, scope) => {
  const rstrip = kwargs && 'rstrip' in kwargs ? !!kwargs.rstrip : true;
  const lstrip = kwargs && 'lstrip' in kwargs ? !!kwargs.lstrip : false;
  return terms.map((t) => {
    const name = pyStr(t);
    const path = isAbsolute(name) ? name : resolve(scope.env.baseDir, name);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return fail(`The 'file' lookup had an issue accessing the file '${name}'. file not found, use -vvvvv to see paths searched`, 'runtime');
    }
    if (rstrip) text = text.replace(/\s+$/, '');
    if (lstrip) text = text.replace(/^\s+/, '');
    return text;
  });
};

/** vars lookup: variables by (computed) name, with an optional default */
const varsLookup: LookupFn = (terms, kwargs, scope) =>
  terms.map((t) => {
    const name = pyStr(t);
    for (let f = scope.frame; f !== null; f = f.parent) if (f.vars.has(name)) return f.vars.get(name);
    const v = readKey(scope.vars, name);
    if (v !== undefined) return v;
    if (kwargs && 'default' in kwargs) return kwargs.default;
    return fail(`No variable found with this name: ${name}`, 'runtime');
  });

/** items/list lookups: the terms themselves (flattened one level for `items`) */
const listLookup: LookupFn = (terms) => terms;
const itemsLookup: LookupFn = (terms) => terms.flatMap((t) => (Array.isArray(t) ? t : [t]));

export const BUILTIN_LOOKUPS: ReadonlyMap<string, LookupFn> = new Map<string, LookupFn>([
  ['env', envLookup],
  ['file', fileLookup],
  ['list', listLookup],
  ['vars', varsLookup],
  ['items', itemsLookup],
]);
