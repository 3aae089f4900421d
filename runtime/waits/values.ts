/**
 * Keyword values as the budget sees them: a literal, a template we can follow to a value the playbook
 * defines (`"{{ n }}"` with play `vars: {n: 10}`, or `| default(10)`), or a template that depends on run-time
 * data ("depends on {{ n }}"). Never a guess: anything we cannot follow stays unknown.
 */
import type { Entry, Play, Task } from '../playbook/model';
import { coerceFloat, coerceInt } from './int';

export interface VarLayer {
  /** where these variables come from, for the hint ("play vars", "task vars", ...) */
  source: string;
  vars: Record<string, unknown>;
}

export interface VarUse {
  name: string;
  value: unknown;
  source: string;
}

export type Resolved =
  | { kind: 'absent' }
  | { kind: 'number'; value: number; raw: unknown; uses: VarUse[] }
  | { kind: 'invalid'; error: string; raw: unknown; uses: VarUse[] }
  | { kind: 'unknown'; dependsOn: string[]; expression: string };

type Raw = { value: unknown; uses: VarUse[] } | { unknown: string[]; expression: string };

function plainRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function entriesToValues(entries: Record<string, Entry>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, e] of Object.entries(entries)) out[k] = e.value;
  return out;
}

const playVarsCache = new WeakMap<Play, Record<string, unknown>>();

function playVars(play: Play): Record<string, unknown> {
  let vars = playVarsCache.get(play);
  if (!vars) {
    vars = entriesToValues(play.vars);
    playVarsCache.set(play, vars);
  }
  return vars;
}

/**
 * Variable layers visible to a task, highest precedence first, in Ansible's order: role params, task vars,
 * block vars (innermost first), role vars (vars/main.yml), vars_files, play vars, known vars (inventory,
 * extra vars given by the caller), role defaults.
 */
export function varLayers(task: Task | undefined, play: Play | undefined, extra?: Record<string, unknown>): VarLayer[] {
  const params: VarLayer[] = [];
  const blocks: VarLayer[] = [];
  const roleVars: VarLayer[] = [];
  const defaults: VarLayer[] = [];
  const add = (list: VarLayer[], source: string, vars: Record<string, unknown> | undefined) => {
    if (vars && Object.keys(vars).length) list.push({ source, vars });
  };
  for (const parent of [...(task?.parents ?? [])].reverse()) {
    if (parent.kind === 'role' || parent.kind === 'import_role' || parent.kind === 'include_role') {
      const name = parent.role ?? '';
      if (parent.kind === 'role') add(params, `role ${name} params`, entriesToValues(parent.args));
      add(params, `role ${name} vars`, plainRecord(parent.keywords.vars?.value));
      add(roleVars, `roles/${name}/vars`, parent.roleVars);
      add(defaults, `roles/${name}/defaults`, parent.roleDefaults);
    } else {
      add(blocks, parent.kind === 'block' ? 'block vars' : `${parent.kind} vars`, plainRecord(parent.keywords.vars?.value));
    }
  }
  const layers: VarLayer[] = [...params];
  add(layers, 'task vars', plainRecord(task?.keywords.vars?.value));
  layers.push(...blocks, ...roleVars);
  if (play) {
    add(layers, 'vars_files', play.varsFiles);
    add(layers, 'play vars', playVars(play));
  }
  add(layers, 'known vars', extra);
  layers.push(...defaults);
  return layers;
}

const SINGLE_TEMPLATE = /^\s*\{\{([\s\S]*?)\}\}\s*$/;
const JINJA_WORDS = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else', 'true', 'false', 'none', 'True', 'False', 'None', 'item', 'loop']);

/** variable names an expression reads (not filters, tests, attributes or literals) */
export function expressionVariables(expression: string): string[] {
  const withoutStrings = expression.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '""');
  const names: string[] = [];
  const re = /([A-Za-z_][\w]*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(withoutStrings))) {
    const before = withoutStrings.slice(0, m.index).trimEnd();
    if (before.endsWith('.') || before.endsWith('|') || /\bis(\s+not)?$/.test(before)) continue;
    if (/^\d/.test(m[1]) || JINJA_WORDS.has(m[1])) continue;
    if (!names.includes(m[1])) names.push(m[1]);
  }
  return names;
}

/** variable names in a whole template string (all `{{ }}` blocks) */
export function templateVariables(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g)) {
    for (const n of expressionVariables(m[1] ?? m[2] ?? '')) if (!names.includes(n)) names.push(n);
  }
  return names;
}

function splitFilters(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === '|' && depth === 0 && expression[i + 1] !== '|') {
      parts.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(expression.slice(start).trim());
  return parts;
}

function literal(text: string): { value: unknown } | undefined {
  const t = text.trim();
  if (/^[+-]?\d+$/.test(t)) return { value: Number(t) };
  if (/^[+-]?(\d+\.\d*|\.\d+)$/.test(t)) return { value: Number(t) };
  const q = /^(['"])(.*)\1$/s.exec(t);
  if (q) return { value: q[2] };
  if (t === 'true' || t === 'True') return { value: true };
  if (t === 'false' || t === 'False') return { value: false };
  return undefined;
}

function lookup(name: string, layers: VarLayer[]): { value: unknown; source: string } | undefined {
  for (const layer of layers) if (Object.prototype.hasOwnProperty.call(layer.vars, name)) return { value: layer.vars[name], source: layer.source };
  return undefined;
}

/** follows a value through single-expression templates to a plain value when the playbook defines it */
export function followTemplate(value: unknown, layers: VarLayer[], depth = 0): Raw {
  if (typeof value !== 'string' || !(value.includes('{{') || value.includes('{%'))) return { value, uses: [] };
  const m = SINGLE_TEMPLATE.exec(value);
  if (!m || m[1].includes('{{') || depth > 8) return { unknown: templateVariables(value), expression: value };
  const [head, ...filters] = splitFilters(m[1]);
  let current: Raw;
  const lit = literal(head);
  if (lit) current = { value: lit.value, uses: [] };
  else if (/^[A-Za-z_]\w*$/.test(head)) {
    const found = lookup(head, layers);
    if (found) {
      const inner = followTemplate(found.value, layers, depth + 1);
      current = 'unknown' in inner ? inner : { value: inner.value, uses: [{ name: head, value: inner.value, source: found.source }, ...inner.uses] };
    } else current = { unknown: [head], expression: value };
  } else return { unknown: expressionVariables(m[1]), expression: value };

  for (const filter of filters) {
    const f = /^(\w+)\s*(?:\(([\s\S]*)\))?$/.exec(filter);
    if (!f) return { unknown: expressionVariables(m[1]), expression: value };
    const [, name, argText] = f;
    if (name === 'default' || name === 'd') {
      if ('unknown' in current) {
        const arg = literal((argText ?? '').split(',')[0] ?? '');
        if (!arg) return { unknown: expressionVariables(m[1]), expression: value };
        current = { value: arg.value, uses: [{ name: current.unknown[0] ?? head, value: arg.value, source: 'default()' }] };
      }
    } else if (name === 'int' || name === 'float') {
      if ('unknown' in current) continue;
      const n = name === 'int' ? jinjaInt(current.value) : jinjaFloat(current.value);
      current = { value: n, uses: current.uses };
    } else if (name === 'string' || name === 'trim') {
      // keeps the value for int() later
    } else {
      return { unknown: expressionVariables(m[1]), expression: value };
    }
  }
  return current;
}

/** Jinja's |int: never fails, 0 on nonsense (int("2.7") is 2 here, unlike Python's int()) */
function jinjaInt(value: unknown): number {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  const n = Number(String(value).trim());
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

function jinjaFloat(value: unknown): number {
  if (typeof value === 'number') return value;
  const n = Number(String(value).trim());
  return Number.isFinite(n) ? n : 0;
}

/**
 * A numeric keyword value (async, poll, retries, delay, timeout, a module's timeout option) converted as
 * Ansible does after templating: int(), or float() when `asFloat` (delay from 2.17.5).
 */
export function resolveNumber(value: unknown, present: boolean, keyword: string, layers: VarLayer[], asFloat = false): Resolved {
  if (!present || value === null || value === undefined) return { kind: 'absent' };
  const raw = followTemplate(value, layers);
  if ('unknown' in raw) return { kind: 'unknown', dependsOn: raw.unknown, expression: raw.expression };
  const converted = asFloat ? coerceFloat(raw.value, keyword) : coerceInt(raw.value, keyword);
  if (!converted.ok) return { kind: 'invalid', error: converted.error, raw: raw.value, uses: raw.uses };
  return { kind: 'number', value: converted.value, raw: raw.value, uses: raw.uses };
}

export function resolveEntry(entry: Entry | undefined, keyword: string, layers: VarLayer[], asFloat = false): Resolved {
  return resolveNumber(entry?.value, entry !== undefined, keyword, layers, asFloat);
}
