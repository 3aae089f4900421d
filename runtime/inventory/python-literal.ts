/**
 * Ansible's INI inventory turns each `key=value` into a Python object with `ast.literal_eval`, keeping the raw
 * string when that fails: `5` → 5, `True` → true, `None` → null, `'a b'` → "a b", `[1, 2]` → [1, 2], while
 * `yes`, `true`, `08` or `1.2.3` stay strings. This is the subset of Python literal syntax that matters there:
 * numbers (ints with `_`, 0x/0o/0b, floats), single- and double-quoted strings (adjacent ones concatenate),
 * True/False/None, lists, tuples, sets (as arrays) and dicts, with unary +/- on numbers.
 */

class NotALiteral extends Error {}

class LiteralParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseAll(): unknown {
    const value = this.value();
    this.skipSpace();
    if (this.pos !== this.text.length) throw new NotALiteral();
    return value;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /[ \t\r\n]/.test(this.text[this.pos])) this.pos++;
  }

  private peek(): string {
    this.skipSpace();
    return this.text[this.pos] ?? '';
  }

  private value(): unknown {
    const c = this.peek();
    if (c === '[') return this.sequence('[', ']');
    if (c === '(') return this.tuple();
    if (c === '{') return this.braces();
    if (c === "'" || c === '"' || (/[rRbBuU]/.test(c) && /['"]/.test(this.text[this.pos + 1] ?? ''))) return this.strings();
    if (c === '-' || c === '+') {
      this.pos++;
      const n = this.number();
      return c === '-' ? -n : n;
    }
    if (/[0-9.]/.test(c)) return this.number();
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos))?.[0];
    if (name === 'True' || name === 'False' || name === 'None') {
      this.pos += name.length;
      return name === 'True' ? true : name === 'False' ? false : null;
    }
    throw new NotALiteral();
  }

  private number(): number {
    this.skipSpace();
    const rest = this.text.slice(this.pos);
    const radix = /^0([xX][0-9a-fA-F](?:_?[0-9a-fA-F])*|[oO][0-7](?:_?[0-7])*|[bB][01](?:_?[01])*)/.exec(rest);
    if (radix) {
      this.pos += radix[0].length;
      const digits = radix[1].slice(1).replace(/_/g, '');
      const base = /[xX]/.test(radix[1][0]) ? 16 : /[oO]/.test(radix[1][0]) ? 8 : 2;
      return parseInt(digits, base);
    }
    const digits = '[0-9](?:_?[0-9])*';
    const float = new RegExp(`^(?:(?:${digits})?\\.${digits}|${digits}\\.?)(?:[eE][+-]?${digits})?`).exec(rest);
    if (!float) throw new NotALiteral();
    const token = float[0];
    // Python rejects leading zeros on non-zero integers ("08", "0123")
    if (/^0[0-9_]*[1-9]/.test(token) && !/[.eE]/.test(token)) throw new NotALiteral();
    // a following letter or digit means something else (complex `1j`, `1abc`)
    if (/[A-Za-z0-9_]/.test(rest[token.length] ?? '')) throw new NotALiteral();
    this.pos += token.length;
    return Number(token.replace(/_/g, ''));
  }

  private strings(): string {
    let out = '';
    let c = this.peek();
    do {
      out += this.string();
      c = this.peek();
    } while (c === "'" || c === '"' || (/[rRbBuU]/.test(c) && /['"]/.test(this.text[this.pos + 1] ?? '')));
    return out;
  }

  private string(): string {
    let raw = false;
    while (/[rRbBuU]/.test(this.text[this.pos])) {
      if (/[rR]/.test(this.text[this.pos])) raw = true;
      this.pos++;
    }
    const quote = this.text[this.pos];
    const triple = this.text.startsWith(quote.repeat(3), this.pos);
    const end = triple ? quote.repeat(3) : quote;
    this.pos += end.length;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) throw new NotALiteral();
      if (this.text.startsWith(end, this.pos)) {
        this.pos += end.length;
        return out;
      }
      const ch = this.text[this.pos++];
      if (ch === '\n' && !triple) throw new NotALiteral();
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const next = this.text[this.pos++] ?? '';
      if (raw) {
        out += '\\' + next;
        continue;
      }
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };
      if (next === 'x' || next === 'u' || next === 'U') {
        const len = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = this.text.slice(this.pos, this.pos + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new NotALiteral();
        this.pos += len;
        out += String.fromCodePoint(parseInt(hex, 16));
      } else if (next in simple) out += simple[next];
      else out += '\\' + next;
    }
  }

  private sequence(open: string, close: string): unknown[] {
    this.pos++; // open
    const items: unknown[] = [];
    for (;;) {
      if (this.peek() === close) {
        this.pos++;
        return items;
      }
      items.push(this.value());
      const c = this.peek();
      if (c === ',') this.pos++;
      else if (c !== close) throw new NotALiteral();
    }
    void open;
  }

  private tuple(): unknown {
    this.pos++;
    if (this.peek() === ')') {
      this.pos++;
      return [];
    }
    const first = this.value();
    if (this.peek() === ')') {
      // `(x)` is just x; only a comma makes a tuple
      this.pos++;
      return first;
    }
    const items = [first];
    while (this.peek() === ',') {
      this.pos++;
      if (this.peek() === ')') break;
      items.push(this.value());
    }
    if (this.peek() !== ')') throw new NotALiteral();
    this.pos++;
    return items;
  }

  private braces(): unknown {
    this.pos++;
    if (this.peek() === '}') {
      this.pos++;
      return {};
    }
    const firstKey = this.value();
    if (this.peek() !== ':') {
      // a set literal
      const items = [firstKey];
      while (this.peek() === ',') {
        this.pos++;
        if (this.peek() === '}') break;
        items.push(this.value());
      }
      if (this.peek() !== '}') throw new NotALiteral();
      this.pos++;
      return items;
    }
    const out: Record<string, unknown> = {};
    let key = firstKey;
    for (;;) {
      if (this.peek() !== ':') throw new NotALiteral();
      this.pos++;
      out[String(key)] = this.value();
      const c = this.peek();
      if (c === '}') {
        this.pos++;
        return out;
      }
      if (c !== ',') throw new NotALiteral();
      this.pos++;
      if (this.peek() === '}') {
        this.pos++;
        return out;
      }
      key = this.value();
    }
  }
}

/** `ast.literal_eval(text)` when it succeeds, else the text itself (Ansible's INI `_parse_value`). */
export function parseIniValue(text: string): unknown {
  // literal_eval strips leading spaces and tabs itself
  const source = text.replace(/^[ \t]+/, '');
  if (source === '') return text;
  try {
    return new LiteralParser(source).parseAll();
  } catch (error) {
    if (error instanceof NotALiteral || error instanceof RangeError) return text;
    throw error;
  }
}
