/**
 * Ansible converts int keywords (async, poll, retries, delay, timeout) with Python's int() after templating,
 * and a failure is a task failure worded like:
 *   the field 'async_val' has an invalid value (abc), and could not be converted to an int.The error was: invalid literal for int() with base 10: 'abc'
 * (truth cases 10, 16, 36; note the missing space after "int.").
 */

export type IntResult = { ok: true; value: number } | { ok: false; error: string };

/** the attribute name Ansible reports for a keyword (async is stored as async_val) */
export function fieldName(keyword: string): string {
  return keyword === 'async' ? 'async_val' : keyword;
}

/** Python's repr() of a str: single quotes unless the text has a single quote and no double quote */
export function pythonRepr(value: unknown): string {
  if (typeof value === 'string') {
    const useDouble = value.includes("'") && !value.includes('"');
    const q = useDouble ? '"' : "'";
    const body = value
      .replace(/\\/g, '\\\\')
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r')
      .replace(/\t/g, '\\t')
      .split(q)
      .join(`\\${q}`);
    return `${q}${body}${q}`;
  }
  return pythonStr(value);
}

/** Python's str() of a YAML-loaded value, as `%s` formatting prints it */
export function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (value === Infinity) return 'inf';
    if (value === -Infinity) return '-inf';
    return Number.isInteger(value) && !Object.is(value, -0) ? String(value) : pythonFloat(value);
  }
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(', ')}}`;
  }
  return String(value);
}

function pythonFloat(value: number): string {
  const s = String(value);
  return /[.e]/.test(s) ? s.replace(/e\+?/, 'e+').replace('e+-', 'e-') : `${s}.0`;
}

function pythonTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'object') return 'dict';
  return typeof value;
}

/** Python int(x) of a YAML-loaded value; `keyword` names the field in the error as Ansible does. */
export function coerceInt(value: unknown, keyword = 'value'): IntResult {
  const fail = (why: string): IntResult => ({
    ok: false,
    error: `the field '${fieldName(keyword)}' has an invalid value (${pythonStr(value)}), and could not be converted to an int.The error was: ${why}`,
  });
  if (typeof value === 'boolean') return { ok: true, value: value ? 1 : 0 };
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return fail('cannot convert float NaN to integer');
    if (!Number.isFinite(value)) return fail('cannot convert float infinity to integer');
    return { ok: true, value: Math.trunc(value) + 0 };
  }
  if (typeof value === 'string') {
    // int() accepts surrounding whitespace, a sign, and underscores between digits; no decimal point
    const m = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(value);
    if (!m) return fail(`invalid literal for int() with base 10: ${pythonRepr(value)}`);
    const n = Number(m[2].replace(/_/g, ''));
    return { ok: true, value: m[1] === '-' ? -n : n };
  }
  return fail(`int() argument must be a string, a bytes-like object or a real number, not '${pythonTypeName(value)}'`);
}

/** Python float(x) (delay from 2.17.5); the error uses the same format string as int ("to an float.") */
export function coerceFloat(value: unknown, keyword = 'value'): IntResult {
  const fail = (why: string): IntResult => ({
    ok: false,
    error: `the field '${fieldName(keyword)}' has an invalid value (${pythonStr(value)}), and could not be converted to an float.The error was: ${why}`,
  });
  if (typeof value === 'boolean') return { ok: true, value: value ? 1 : 0 };
  if (typeof value === 'number') return { ok: true, value };
  if (typeof value === 'string') {
    const t = value.trim().replace(/(\d)_(?=\d)/g, '$1');
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return { ok: true, value: Number(t) };
    if (/^[+-]?(inf|infinity)$/i.test(t)) return { ok: true, value: t.startsWith('-') ? -Infinity : Infinity };
    return fail(`could not convert string to float: ${pythonRepr(value)}`);
  }
  return fail(`float() argument must be a string or a real number, not '${pythonTypeName(value)}'`);
}
