/**
 * Maps offsets in a YAML scalar's value to offsets in its source text, so an error at offset N of a
 * template can be underlined where the user wrote it, with quotes, escapes, folded lines and block
 * indentation accounted for. Give it the scalar's source text exactly as its node range covers it.
 */

export interface ScalarMap {
  /** the value as YAML reads it (compare with the parser's value before trusting the map) */
  value: string;
  /** source offset (relative to the raw text) of each value offset; value.length maps past the end */
  at(offset: number): number;
}

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};

class Builder {
  value = '';
  readonly offsets: number[] = [];
  add(text: string, at: number): void {
    for (let i = 0; i < text.length; i++) {
      this.value += text[i];
      this.offsets.push(at);
    }
  }
  /** drops trailing spaces/tabs added since `from` (YAML trims them before a line break) */
  trimTrailing(): void {
    while (this.value.length && (this.value.endsWith(' ') || this.value.endsWith('\t'))) {
      this.value = this.value.slice(0, -1);
      this.offsets.pop();
    }
  }
  done(rawLength: number): ScalarMap {
    const { value, offsets } = this;
    return { value, at: (o) => (o >= 0 && o < offsets.length ? offsets[o] : o === offsets.length ? (offsets.length ? offsets[offsets.length - 1] + 1 : rawLength) : -1) };
  }
}

/**
 * Flow scalars (plain, 'single', "double"): a line break folds to a space, n empty lines to n line
 * breaks; whitespace around breaks is dropped.
 */
function flow(raw: string, quote: '' | "'" | '"'): ScalarMap {
  const b = new Builder();
  const start = quote ? 1 : 0;
  const end = quote ? raw.lastIndexOf(quote) : raw.length;
  let i = start;
  while (i < end) {
    const c = raw[i];
    if (c === '\n' || c === '\r') {
      b.trimTrailing();
      let breaks = 0;
      // YAML whitespace is space and tab only (U+2028 and friends are content)
      while (i < end && (raw[i] === ' ' || raw[i] === '\t' || raw[i] === '\n' || raw[i] === '\r')) {
        if (raw[i] === '\n') breaks++;
        i++;
      }
      if (i >= end && !quote) break;
      b.add(breaks > 1 ? '\n'.repeat(breaks - 1) : ' ', i - 1);
      continue;
    }
    if (quote === "'" && c === "'" && raw[i + 1] === "'") {
      b.add("'", i);
      i += 2;
      continue;
    }
    if (quote === '"' && c === '\\') {
      const n = raw[i + 1];
      if (n === '\n' || n === '\r') {
        // escaped line break: joins the lines without a space
        i += 2;
        while (i < end && (raw[i] === ' ' || raw[i] === '\t' || raw[i] === '\n' || raw[i] === '\r')) i++;
        continue;
      }
      const len = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
      if (len) {
        b.add(String.fromCodePoint(parseInt(raw.slice(i + 2, i + 2 + len), 16)), i);
        i += 2 + len;
      } else {
        b.add(ESCAPES[n] ?? n, i);
        i += 2;
      }
      continue;
    }
    b.add(c, i);
    i++;
  }
  return b.done(raw.length);
}

/** Block scalars: `|` keeps line breaks, `>` folds lines of the same indentation; indentation removed. */
function block(raw: string, lineIndent: number | undefined): ScalarMap {
  const b = new Builder();
  const headerEnd = raw.indexOf('\n');
  const header = headerEnd === -1 ? raw : raw.slice(0, headerEnd);
  const literal = header.startsWith('|');
  const chomp = header.includes('-') ? 'strip' : header.includes('+') ? 'keep' : 'clip';
  const explicit = /\d/.exec(header);
  if (headerEnd === -1) return b.done(raw.length);
  const lines: { text: string; at: number }[] = [];
  let pos = headerEnd + 1;
  for (const line of raw.slice(headerEnd + 1).split('\n')) {
    lines.push({ text: line.replace(/\r$/, ''), at: pos });
    pos += line.length + 1;
  }
  const firstContent = lines.find((l) => l.text.trim() !== '');
  // an explicit indentation indicator counts from the indentation of the header's line; without that,
  // the smallest indentation of the content lines is the best guess
  const contentLines = lines.filter((l) => l.text.trim() !== '');
  const indent = explicit && lineIndent !== undefined ? lineIndent + Number(explicit[0]) : explicit ? Math.min(...contentLines.map((l) => /^ */.exec(l.text)![0].length)) : firstContent ? /^ */.exec(firstContent.text)![0].length : 0;
  let prevMoreIndented = false;
  let pendingBreaks = 0;
  let started = false;
  for (const { text, at } of lines) {
    if (text.trim() === '' && text.length <= indent) {
      pendingBreaks++;
      continue;
    }
    const content = text.slice(indent);
    const moreIndented = content.startsWith(' ') || content.startsWith('\t');
    if (started) {
      if (literal || moreIndented || prevMoreIndented) b.add('\n'.repeat(pendingBreaks + 1), at - 1);
      else b.add(pendingBreaks ? '\n'.repeat(pendingBreaks) : ' ', at - 1);
    } else if (pendingBreaks) b.add('\n'.repeat(pendingBreaks), at - 1);
    pendingBreaks = 0;
    b.add(content, at + indent);
    // `add` maps every character of content to its start; spread them over the source instead
    for (let k = 0; k < content.length; k++) b.offsets[b.offsets.length - content.length + k] = at + indent + k;
    started = true;
    prevMoreIndented = moreIndented;
  }
  if (chomp !== 'strip' && started) {
    const trailing = chomp === 'keep' ? pendingBreaks + 1 : 1;
    // the final line break of the last content line, if the source has one
    const lastLine = lines.filter((l) => l.text.trim() !== '').pop();
    if (lastLine && lastLine.at + lastLine.text.length < raw.length) b.add('\n'.repeat(chomp === 'keep' ? Math.max(1, trailing - (raw.endsWith('\n') ? 1 : 0)) : 1), lastLine.at + lastLine.text.length);
  }
  return b.done(raw.length);
}

/**
 * A map for one scalar's source text (as its node range covers it). `lineIndent`: the number of spaces
 * that start the line where the scalar begins, needed for block scalars with an indentation indicator
 * (`|2-`); see `lineIndentAt`.
 */
export function scalarOffsets(raw: string, lineIndent?: number): ScalarMap {
  const first = raw[0];
  if (first === '"' || first === "'") return flow(raw, first);
  if (first === '|' || first === '>') return block(raw, lineIndent);
  return flow(raw, '');
}

/** The indentation of the line that contains `offset` in `text` (for scalarOffsets' lineIndent) */
export function lineIndentAt(text: string, offset: number): number {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^ */.exec(text.slice(lineStart, offset))![0].length;
}
