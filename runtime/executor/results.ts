/**
 * Result dictionaries in Ansible's shapes: what a module returns, what `register` stores, what callbacks see,
 * and how `no_log` hides them. Kept in one place so the executor, the printer and the journal agree.
 */
import type { TaskResult } from '../events/types';

export const NO_LOG_MESSAGE = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

export function isFailed(result: TaskResult): boolean {
  // a failed_when verdict wins over the module's own `failed` (quirk: until exhausted + failed_when false is ok)
  if ('failed_when_result' in result) return Boolean(result.failed_when_result);
  return truthy(result.failed);
}

export function isSkipped(result: TaskResult): boolean {
  return truthy(result.skipped);
}

export function isChanged(result: TaskResult): boolean {
  return truthy(result.changed);
}

export function isUnreachable(result: TaskResult): boolean {
  return truthy(result.unreachable);
}

/** Python-ish truthiness for values coming back from templates and modules */
export function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value as object).length > 0;
  return true;
}

/**
 * What `register` stores: internal `_ansible_*` keys and the top-level `invocation` are dropped. No keys are added:
 * like ansible-core, a loop's or an unreachable host's result has no `failed` unless it failed, and a task that
 * failed before its action ran (a bad keyword value, an undefined variable) has only `failed` and `msg`.
 */
export function registeredValue(result: TaskResult): TaskResult {
  const out: TaskResult = {};
  for (const [key, value] of Object.entries(result)) {
    if (key.startsWith('_ansible_') || key === 'invocation') continue;
    out[key] = value;
  }
  return out;
}

/** The censored stand-in for a `no_log` result (keeps only the status keys Ansible keeps). */
export function censor(result: TaskResult): TaskResult {
  const out: TaskResult = { censored: NO_LOG_MESSAGE };
  for (const key of ['changed', 'failed', 'skipped', 'unreachable', 'attempts', 'failed_when_result', 'ansible_loop_var', 'item', 'ansible_index_var']) {
    if (key in result) out[key] = result[key];
  }
  if (Array.isArray(result.results)) out.results = (result.results as TaskResult[]).map((r) => (r && typeof r === 'object' ? censor(r) : r));
  return out;
}

/**
 * Python's json.dumps(sort_keys=True, ensure_ascii=False) output: what Ansible's default callback prints
 * (", " and ": " separators on one line, or 4-space indentation).
 */
export function pythonJson(value: unknown, indent?: number): string {
  return dump(value, indent, 0);
}

function dump(value: unknown, indent: number | undefined, depth: number): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? (Number.isInteger(value) ? String(value) : pythonFloat(value)) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  const pad = indent ? '\n' + ' '.repeat(indent * (depth + 1)) : '';
  const closePad = indent ? '\n' + ' '.repeat(indent * depth) : '';
  const sep = indent ? ',' : ', ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return '[' + value.map((v) => pad + dump(v, indent, depth + 1)).join(sep) + closePad + ']';
  }
  if (typeof value === 'object') {
    const keys = Object.keys(value as object).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
    if (keys.length === 0) return '{}';
    return '{' + keys.map((k) => pad + JSON.stringify(k) + ': ' + dump((value as Record<string, unknown>)[k], indent, depth + 1)).join(sep) + closePad + '}';
  }
  return JSON.stringify(String(value));
}

function pythonFloat(value: number): string {
  const text = String(value);
  return /[.e]/.test(text) ? text : text + '.0';
}

/** ISO-like timestamps and deltas the way Ansible's command module prints them */
export function ansibleTimestamp(date: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds() * 1000, 6)}`;
}

export function ansibleDelta(ms: number): string {
  const total = Math.max(0, ms);
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  const micros = Math.round((total % 1000) * 1000);
  return `${hours}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}.${String(micros).padStart(6, '0')}`;
}

/** `stdout` → `stdout_lines` the way Ansible splits (splitlines, no trailing empty line) */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
