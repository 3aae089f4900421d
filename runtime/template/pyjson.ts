/**
 * Python's json.dumps output format (to_json, to_nice_json) and a JSON reader that keeps "1.0" a float
 * (from_json), so values round-trip with the types Python would give them.
 */
import { fail, floatRepr, isDict, PyFloat, pyTypeName, Undefined } from './values';

export interface DumpOptions {
  indent: number | string | null;
  sortKeys: boolean;
  ensureAscii: boolean;
  itemSep: string;
  keySep: string;
}

function jsonString(s: string, ensureAscii: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || (ensureAscii && c > 0x7e)) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

function dumpNumber(v: number | PyFloat): string {
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (Number.isInteger(v)) return String(v);
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  return floatRepr(v);
}

export function pyJsonDumps(value: unknown, o: DumpOptions): string {
  const indentUnit = o.indent === null ? null : typeof o.indent === 'number' ? ' '.repeat(o.indent) : o.indent;
  const itemSep = indentUnit !== null && o.itemSep === ', ' ? ',' : o.itemSep;
  const seen = new Set<object>();
  const walk = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number' || v instanceof PyFloat) return dumpNumber(v);
    if (typeof v === 'string') return jsonString(v, o.ensureAscii);
    if (v instanceof Undefined) throw v.error();
    if (typeof v !== 'object') return fail(`Object of type ${pyTypeName(v)} is not JSON serializable`);
    if (seen.has(v)) fail('Circular reference detected', 'runtime');
    seen.add(v);
    const nl = indentUnit === null ? '' : '\n' + indentUnit.repeat(depth + 1);
    const close = indentUnit === null ? '' : '\n' + indentUnit.repeat(depth);
    let out: string;
    if (Array.isArray(v)) {
      out = v.length === 0 ? '[]' : '[' + nl + v.map((x) => walk(x, depth + 1)).join(itemSep + nl) + close + ']';
    } else if (isDict(v)) {
      let keys = Object.keys(v);
      if (o.sortKeys) keys = keys.sort();
      out = keys.length === 0 ? '{}' : '{' + nl + keys.map((k) => jsonString(k, o.ensureAscii) + o.keySep + walk(v[k], depth + 1)).join(itemSep + nl) + close + '}';
    } else out = fail(`Object of type ${pyTypeName(v)} is not JSON serializable`);
    seen.delete(v);
    return out;
  };
  return walk(value, 0);
}

/** JSON.parse that keeps floats written with a fraction or exponent as floats (1.0 stays a float) */
export function pyJsonLoads(text: string): unknown {
  if (!/\d[.eE]|NaN|Infinity/.test(text)) return JSON.parse(text);
  let i = 0;
  const err = (what: string): never => fail(`Expecting ${what}: line 1 column ${i + 1} (char ${i})`, 'filter');
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') return i++, out;
      for (;;) {
        ws();
        if (text[i] !== '"') err('property name enclosed in double quotes');
        const k = str();
        ws();
        if (text[i++] !== ':') err("':' delimiter");
        out[k] = value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return i++, out;
        else err("',' delimiter");
      }
    }
    if (c === '[') {
      i++;
      const out: unknown[] = [];
      ws();
      if (text[i] === ']') return i++, out;
      for (;;) {
        out.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return i++, out;
        else err("',' delimiter");
      }
    }
    if (c === '"') return str();
    for (const [lit, v] of [['true', true], ['false', false], ['null', null], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]] as const) {
      if (text.startsWith(lit, i)) return (i += lit.length), v;
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) return err('value');
    i += m[0].length;
    const n = Number(m[0]);
    return m[1] !== undefined || m[2] !== undefined ? (Number.isInteger(n) ? new PyFloat(n) : n) : n;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const v = value();
  ws();
  if (i < text.length) fail(`Extra data: line 1 column ${i + 1} (char ${i})`, 'filter');
  return v;
}
