/**
 * Jinja2 lexer with absolute source offsets. Produces template-level tokens (data, `{{`, `{%`, and their
 * ends) and expression tokens in one stream, like Jinja's own lexer. A `}}` or `%}` only closes a tag
 * when no bracket is open (so `{{ {'a': {'b': 1}} }}` works).
 */
import { TemplateError } from './errors';

export type TokenType =
  | 'data'
  | 'var_begin'
  | 'var_end'
  | 'block_begin'
  | 'block_end'
  | 'raw'
  | 'name'
  | 'string'
  | 'int'
  | 'float'
  | 'op'
  | 'eof';

export interface Token {
  type: TokenType;
  /** decoded value: operator text, name, string contents, number */
  value: string;
  num?: number;
  offset: number;
  end: number;
}

export interface LexOptions {
  /** strip the first newline after a block tag (Ansible's Templar and template module use True) */
  trimBlocks: boolean;
  /** strip whitespace before a block tag on its line */
  lstripBlocks: boolean;
  /**
   * Ansible doubles backslashes in string literals inside `{{ }}` before Jinja sees them, so there a
   * literal's contents are taken as written (`regex_replace('(a)', '\\1')` gets a backslash and 1).
   */
  escapeBackslashes: boolean;
}

const OPERATORS = ['//', '**', '==', '!=', '>=', '<=', '+', '-', '*', '/', '%', '~', '<', '>', '=', '.', ',', ':', '|', '(', ')', '[', ']', '{', '}'];
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const NUMBER_RE = /(?:0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[0-9a-fA-F])+|(?:\d(?:_?\d)*)?\.\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?(?:[eE][+-]?\d(?:_?\d)*)?)/y;

/** Python's unicode-escape decoding of a Jinja string literal body */
export function unescapePython(raw: string, offset: number): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '\\' || i + 1 >= raw.length) {
      out += c;
      continue;
    }
    const n = raw[++i];
    switch (n) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case "'": out += "'"; break;
      case '"': out += '"'; break;
      case '\n': break;
      case 'x':
      case 'u':
      case 'U': {
        const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
        const hex = raw.slice(i + 1, i + 1 + len);
        if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) {
          throw new TemplateError('syntax', `truncated \\${n} escape in string literal`, offset + i - 1, offset + i + 1 + hex.length);
        }
        out += String.fromCodePoint(parseInt(hex, 16));
        i += len;
        break;
      }
      default:
        if (n >= '0' && n <= '7') {
          let oct = n;
          while (oct.length < 3 && raw[i + 1] >= '0' && raw[i + 1] <= '7') oct += raw[++i];
          out += String.fromCharCode(parseInt(oct, 8));
        } else {
          out += '\\' + n;
        }
    }
  }
  return out;
}

export class Lexer {
  private pos = 0;
  private readonly tokens: Token[] = [];
  private readonly brackets: { ch: string; offset: number }[] = [];

  constructor(
    private readonly src: string,
    private readonly options: LexOptions,
  ) {}

  /** Tokens of a bare expression (a `when:` condition): the whole source is one expression. */
  lexExpression(): Token[] {
    this.pos = 0;
    this.lexInside(null, false);
    this.push('eof', '', this.src.length, this.src.length);
    return this.tokens;
  }

  /** Tokens of a template: text with `{{ }}`, `{% %}` and `{# #}` */
  lexTemplate(): Token[] {
    const src = this.src;
    let dataStart = 0;
    let stripNextData = false; // a previous `-%}`/`-}}` strips leading whitespace of the next data
    let trimNewline = false;
    while (this.pos <= src.length) {
      const next = this.findTagStart(this.pos);
      let dataEnd = next === -1 ? src.length : next;
      let data = src.slice(dataStart, dataEnd);
      let dOff = dataStart;
      if (stripNextData) {
        const t = data.replace(/^\s+/, '');
        dOff += data.length - t.length;
        data = t;
      } else if (trimNewline) {
        if (data.startsWith('\r\n')) (data = data.slice(2)), (dOff += 2);
        else if (data.startsWith('\n')) (data = data.slice(1)), (dOff += 1);
      }
      if (next !== -1) {
        const modifier = src[next + 2];
        const kind = src[next + 1];
        if (modifier === '-') data = data.replace(/\s+$/, '');
        else if (kind === '%' && modifier !== '+' && this.options.lstripBlocks) data = data.replace(/[ \t]+$/, (ws) => (isLineStart(src, dataEnd - ws.length) ? '' : ws));
        else if (kind === '#' && modifier !== '+' && this.options.lstripBlocks) data = data.replace(/[ \t]+$/, (ws) => (isLineStart(src, dataEnd - ws.length) ? '' : ws));
      }
      if (data.length > 0) this.push('data', data, dOff, dOff + data.length);
      if (next === -1) break;
      const kind = src[next + 1];
      const hasModifier = src[next + 2] === '-' || src[next + 2] === '+';
      this.pos = next + 2 + (hasModifier ? 1 : 0);
      stripNextData = false;
      trimNewline = false;
      if (kind === '#') {
        const close = src.indexOf('#}', this.pos);
        if (close === -1) throw new TemplateError('syntax', 'Missing end of comment tag', next, src.length);
        stripNextData = src[close - 1] === '-';
        trimNewline = this.options.trimBlocks && !stripNextData;
        this.pos = close + 2;
      } else if (kind === '{') {
        this.push('var_begin', '{{', next, this.pos);
        const endTok = this.lexInside('}}', this.options.escapeBackslashes);
        stripNextData = endTok === '-';
      } else {
        this.push('block_begin', '{%', next, this.pos);
        const before = this.tokens.length;
        const endTok = this.lexInside('%}', false);
        stripNextData = endTok === '-';
        trimNewline = this.options.trimBlocks && endTok === '';
        // `{% raw %}` ... `{% endraw %}`: the body is data, taken verbatim
        const t = this.tokens;
        if (t.length === before + 2 && t[before].type === 'name' && t[before].value === 'raw') {
          const re = /\{%(-?)\s*endraw\s*(-?)%\}/g;
          re.lastIndex = this.pos;
          const m = re.exec(src);
          if (!m) throw new TemplateError('syntax', "Missing end of raw directive", t[before].offset, src.length);
          let body = src.slice(this.pos, m.index);
          let bOff = this.pos;
          if (stripNextData) {
            const s = body.replace(/^\s+/, '');
            bOff += body.length - s.length;
            body = s;
          } else if (trimNewline && body.startsWith('\n')) (body = body.slice(1)), (bOff += 1);
          if (m[1] === '-') body = body.replace(/\s+$/, '');
          t.splice(before - 1, 3);
          this.push('raw', body, bOff, bOff + body.length);
          this.pos = m.index + m[0].length;
          stripNextData = m[2] === '-';
          trimNewline = this.options.trimBlocks && !stripNextData;
        }
      }
      dataStart = this.pos;
    }
    this.push('eof', '', src.length, src.length);
    return this.tokens;
  }

  private findTagStart(from: number): number {
    const src = this.src;
    let i = src.indexOf('{', from);
    while (i !== -1 && i + 1 < src.length) {
      const c = src[i + 1];
      if (c === '{' || c === '%' || c === '#') return i;
      i = src.indexOf('{', i + 1);
    }
    return -1;
  }

  private push(type: TokenType, value: string, offset: number, end: number, num?: number): void {
    this.tokens.push(num === undefined ? { type, value, offset, end } : { type, value, offset, end, num });
  }

  /**
   * Lexes expression tokens until `close` (`}}` / `%}`) at bracket depth 0, or the end of the source
   * when close is null. Returns the whitespace modifier of the closing tag ('-', '+' or '').
   */
  private lexInside(close: string | null, rawStrings: boolean): string {
    const src = this.src;
    const startTag = this.pos - 2;
    this.brackets.length = 0;
    for (;;) {
      while (this.pos < src.length && isSpace(src[this.pos])) this.pos++;
      const at = this.pos;
      if (at >= src.length) {
        if (close === null) {
          if (this.brackets.length) {
            const b = this.brackets[this.brackets.length - 1];
            throw new TemplateError('syntax', `unexpected end of expression, '${b.ch}' was never closed`, b.offset, src.length);
          }
          return '';
        }
        const what = close === '}}' ? 'end of print statement' : 'end of statement block';
        throw new TemplateError('syntax', `unexpected end of template, expected '${what}'.`, Math.max(0, startTag), src.length);
      }
      const c = src[at];
      if (close !== null && this.brackets.length === 0) {
        const mod = c === '-' || c === '+' ? c : '';
        if (src.startsWith(close, at + mod.length)) {
          this.pos = at + mod.length + 2;
          this.push(close === '}}' ? 'var_end' : 'block_end', close, at, this.pos);
          return mod;
        }
      }
      if (c === "'" || c === '"') {
        let i = at + 1;
        while (i < src.length && src[i] !== c) i += src[i] === '\\' ? 2 : 1;
        if (i >= src.length) throw new TemplateError('syntax', 'unexpected char ' + JSON.stringify(c) + ': string literal is not closed', at, src.length);
        const raw = src.slice(at + 1, i);
        this.push('string', rawStrings ? raw : unescapePython(raw, at + 1), at, i + 1);
        this.pos = i + 1;
        continue;
      }
      if ((c >= '0' && c <= '9') || (c === '.' && /[0-9]/.test(src[at + 1] ?? ''))) {
        if (c !== '.' || !this.lastIsValue()) {
          NUMBER_RE.lastIndex = at;
          const m = NUMBER_RE.exec(src);
          if (m) {
            const text = m[0].replace(/_/g, '');
            this.pos = at + m[0].length;
            const isFloat = /^[0-9.]/.test(text) && /[.eE]/.test(text) && !/^0[xXbBoO]/.test(text);
            const value = isFloat ? Number(text) : text.length > 2 && /^0[xXbBoO]/.test(text) ? Number(text.toLowerCase()) : Number(text);
            this.push(isFloat ? 'float' : 'int', m[0], at, this.pos, value);
            continue;
          }
        }
      }
      if (NAME_START.test(c)) {
        let i = at + 1;
        while (i < src.length && NAME_CHAR.test(src[i])) i++;
        this.push('name', src.slice(at, i), at, i);
        this.pos = i;
        continue;
      }
      const op = OPERATORS.find((o) => src.startsWith(o, at));
      if (op === undefined) throw new TemplateError('syntax', `unexpected char '${c}' at ${at}`, at, at + 1);
      if (op === '(' || op === '[' || op === '{') this.brackets.push({ ch: op, offset: at });
      else if (op in CLOSERS) {
        const open = this.brackets.pop();
        if (!open) throw new TemplateError('syntax', `unexpected '${op}'`, at, at + 1);
        if (open.ch !== CLOSERS[op]) throw new TemplateError('syntax', `unexpected '${op}', expected '${closerOf(open.ch)}'`, at, at + 1);
      }
      this.push('op', op, at, at + op.length);
      this.pos = at + op.length;
    }
  }

  private lastIsValue(): boolean {
    const t = this.tokens[this.tokens.length - 1];
    return !!t && (t.type === 'name' || (t.type === 'op' && (t.value === ')' || t.value === ']')));
  }
}

function closerOf(open: string): string {
  return open === '(' ? ')' : open === '[' ? ']' : '}';
}

function isLineStart(src: string, i: number): boolean {
  return i === 0 || src[i - 1] === '\n';
}
