/**
 * Python's ast.literal_eval(ast.parse(text, mode='eval')), which Ansible's jinja2_native concat applies
 * to rendered output ("[1, 2]" becomes a list, "5" the int 5). Returns NOT_LITERAL when Python would
 * raise (SyntaxError, ValueError): the caller then keeps the text.
 */
import { unescapePython } from './lexer';
import { makeFloat, tuple } from './values';

export const NOT_LITERAL = Symbol('not a literal');

const STR_START = /([rRbBuU]{0,2})('''|"""|'|")/y;
const NUM = /(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?[jJ]?|\d(?:_?\d)*\.)/y;
const NAME = /[A-Za-z_]\w*/y;

type Tok = { t: 'str' | 'num' | 'name' | 'op'; v: string; n?: unknown };

function tokenize(src: string): Tok[] | null {
  const out: Tok[] = [];
  let depth = 0;
  let i = 0;
  // leading whitespace on the first line is an IndentationError in ast.parse
  if (/^[ \t\f]/.test(src)) return null;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\f' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '\n') {
      if (depth === 0 && /\S/.test(src.slice(i).replace(/#[^\n]*/g, ''))) return null;
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    STR_START.lastIndex = i;
    const strStart = STR_START.exec(src);
    if (strStart && (strStart[1] === '' || /^(?:[rRbBuU]|[rR][bB]|[bB][rR])$/.test(strStart[1]))) {
      const prefix = strStart[1].toLowerCase();
      const q = strStart[2];
      let j = i + strStart[0].length;
      const bodyStart = j;
      while (j < src.length && !src.startsWith(q, j)) {
        if (src[j] === '\\') j++;
        else if (src[j] === '\n' && q.length === 1) return null;
        j++;
      }
      if (j >= src.length) return null;
      const raw = src.slice(bodyStart, j);
      let value: string;
      try {
        value = prefix.includes('r') ? raw : unescapePython(raw, 0);
      } catch {
        return null;
      }
      out.push({ t: 'str', v: value });
      i = j + q.length;
      continue;
    }
    NUM.lastIndex = i;
    const numM = /[0-9.]/.test(c) ? NUM.exec(src) : null;
    if (numM && numM[0] !== '.') {
      const text = numM[0].replace(/_/g, '');
      if (/[jJ]$/.test(text)) return null; // complex numbers have no JS counterpart
      const isFloat = !/^0[xXoObB]/.test(text) && /[.eE]/.test(text);
      if (!isFloat && /^0\d/.test(text) && !/^0+$/.test(text)) return null; // leading zeros are a SyntaxError
      const n = Number(/^0[oObB]/.test(text) ? text.toLowerCase() : text);
      out.push({ t: 'num', v: text, n: isFloat ? makeFloat(n) : n });
      i += numM[0].length;
      continue;
    }
    NAME.lastIndex = i;
    const nameM = NAME.exec(src);
    if (nameM) {
      out.push({ t: 'name', v: nameM[0] });
      i += nameM[0].length;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    if (')]}'.includes(c)) depth--;
    if (!'()[]{},:+-'.includes(c)) return null;
    out.push({ t: 'op', v: c });
    i++;
  }
  return out;
}

class Fail extends Error {}

/** Cheap pre-check: text that cannot start a Python literal (most rendered strings) is rejected at once */
const LITERAL_START = /^(?:[-+.0-9'"([{]|(?:True|False|None)(?!\w)|[rRbBuU]{1,2}['"])/;

export function literalEval(src: string): unknown {
  if (!LITERAL_START.test(src)) return NOT_LITERAL;
  const toks = tokenize(src);
  if (!toks || toks.length === 0) return NOT_LITERAL;
  let p = 0;
  const peek = () => toks[p];
  const isOp = (v: string) => toks[p]?.t === 'op' && toks[p].v === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw new Fail();
    p++;
  };
  const seq = (close: string): unknown[] => {
    const items: unknown[] = [];
    while (!isOp(close)) {
      items.push(value());
      if (!isOp(close)) expect(',');
    }
    p++;
    return items;
  };
  const value = (): unknown => {
    const t = peek();
    if (!t) throw new Fail();
    p++;
    if (t.t === 'str') {
      let s = t.v;
      while (peek()?.t === 'str') s += toks[p++].v;
      return s;
    }
    if (t.t === 'num') return t.n;
    if (t.t === 'name') {
      if (t.v === 'True') return true;
      if (t.v === 'False') return false;
      if (t.v === 'None') return null;
      throw new Fail();
    }
    if (t.v === '-' || t.v === '+') {
      const n = peek();
      if (n?.t !== 'num') throw new Fail();
      p++;
      const v = n.n;
      if (t.v === '+') return v;
      return typeof v === 'number' ? -v : makeFloat(-(v as { value: number }).value);
    }
    if (t.v === '[') return seq(']');
    if (t.v === '(') {
      if (isOp(')')) return p++, tuple([]);
      const first = value();
      if (isOp(')')) return p++, first;
      expect(',');
      return tuple([first, ...seq(')')]);
    }
    if (t.v === '{') {
      if (isOp('}')) return p++, {};
      const firstKey = value();
      if (!isOp(':')) {
        // a set literal: keep it as a list
        const items = [firstKey];
        if (!isOp('}')) expect(',');
        return [...items, ...seq('}')];
      }
      const out: Record<string, unknown> = {};
      let key = firstKey;
      for (;;) {
        expect(':');
        if (typeof key === 'object' && key !== null) throw new Fail();
        out[typeof key === 'boolean' ? (key ? 'True' : 'False') : key === null ? 'None' : String(key)] = value();
        if (isOp('}')) return p++, out;
        expect(',');
        if (isOp('}')) return p++, out;
        key = value();
      }
    }
    throw new Fail();
  };
  try {
    let v = value();
    if (isOp(',')) {
      // a bare tuple: 1, 2
      p++;
      const rest: unknown[] = [];
      while (p < toks.length) {
        rest.push(value());
        if (p < toks.length) expect(',');
      }
      v = tuple([v, ...rest]);
    }
    if (p !== toks.length) return NOT_LITERAL;
    return v;
  } catch (e) {
    if (e instanceof Fail) return NOT_LITERAL;
    throw e;
  }
}
