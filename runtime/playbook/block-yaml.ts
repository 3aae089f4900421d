/**
 * A fast reader for the YAML most playbooks are written in: block mappings and sequences, one-line plain,
 * single- and double-quoted scalars, comments, an optional leading `---`. It builds the same `yaml` nodes
 * (same classes, values, scalar types and ranges) that `yaml`'s own composer builds, at a fraction of the
 * cost, because a 2,000-task playbook is parsed on every edit.
 *
 * Anything outside that subset (anchors, aliases, tags, flow collections with content, block scalars,
 * multi-line scalars, escapes, tabs, CR line ends, directives, several documents, odd indentation, any
 * error) makes it give up and return undefined: the caller then uses `yaml`'s full parser, which is the
 * reference. test/unit/playbook/block-yaml.test.ts compares both on every corpus file and on mutants.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, isScalar, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';

type Range = [number, number, number];
type Node = Scalar | YAMLMap | YAMLSeq;
type ScalarTag = { default?: boolean | 'key'; test?: RegExp; resolve: (value: string, onError: (msg: string) => void, options: unknown) => unknown; format?: string };

/** thrown (never escapes) when the text leaves the subset */
const GIVE_UP = Symbol('give up');

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;

/** characters that may start a plain key and continue it: Ansible keywords, module names, variables */
const KEY_START = /[A-Za-z0-9_]/y;
const KEY_BODY = /[A-Za-z0-9_.\-/]*/y;

class Reader {
  /** meaningful lines: not blank, not comment-only */
  private starts: number[] = [];
  private ends: number[] = [];
  private indents: number[] = [];
  /** index of the line after the previous meaningful line, for "is there a comment line in between" */
  private i = 0;
  private readonly tags: ScalarTag[];
  private readonly options: unknown;

  constructor(
    private readonly text: string,
    private readonly doc: Document.Parsed,
  ) {
    this.tags = (doc.schema as unknown as { tags: ScalarTag[] }).tags;
    this.options = doc.options;
  }

  /** splits the text into meaningful lines; false when a line is outside the subset */
  scan(): { docStart: boolean } {
    const text = this.text;
    let docStart = false;
    let sawContent = false;
    let pos = 0;
    let commentIndent = -1;
    const n = text.length;
    while (pos < n) {
      let end = text.indexOf('\n', pos);
      if (end < 0) end = n;
      let c = pos;
      while (c < end && text.charCodeAt(c) === SPACE) c++;
      if (c < end) {
        const ch = text.charCodeAt(c);
        // yaml gives comment lines deeper than the line after them to the node above (its range grows)
        if (ch === HASH) commentIndent = Math.max(commentIndent, c - pos);
        else {
          if (commentIndent > c - pos) throw GIVE_UP;
          commentIndent = -1;
          if (c === pos && (text.startsWith('---', pos) || text.startsWith('...', pos) || ch === 37 /* % */)) {
            // one leading `---` alone on its line, before any content
            if (!sawContent && !docStart && text.startsWith('---', pos) && this.blankOrComment(pos + 3, end)) docStart = true;
            else throw GIVE_UP;
          } else {
            sawContent = true;
            this.starts.push(pos);
            this.ends.push(end);
            this.indents.push(c - pos);
          }
        }
      }
      pos = end + 1;
    }
    if (commentIndent > 0) throw GIVE_UP;
    return { docStart };
  }

  private blankOrComment(from: number, to: number): boolean {
    let c = from;
    while (c < to && this.text.charCodeAt(c) === SPACE) c++;
    return c === to || (c > from && this.text.charCodeAt(c) === HASH);
  }

  get count(): number {
    return this.starts.length;
  }

  parseRoot(): Node {
    if (this.count === 0 || this.indents[0] !== 0) throw GIVE_UP;
    const node = this.block(0, this.starts[0]);
    if (this.i !== this.count) throw GIVE_UP;
    return node;
  }

  /** a block collection whose first line is the current line, content starting at `at` (column `col`) */
  private block(col: number, at: number): Node {
    const text = this.text;
    if (text.charCodeAt(at) === DASH && this.isIndicator(at + 1)) return this.seq(col, at);
    if (this.keyEnd(at) !== undefined) return this.map(col, at);
    throw GIVE_UP;
  }

  /** `-` followed by a space or the end of the line */
  private isIndicator(pos: number): boolean {
    const ch = this.text.charCodeAt(pos);
    return ch === SPACE || pos >= this.ends[this.i] || Number.isNaN(ch);
  }

  /** offset of the `:` ending a plain key at `at`, or undefined */
  private keyEnd(at: number): number | undefined {
    KEY_START.lastIndex = at;
    if (!KEY_START.test(this.text)) return undefined;
    KEY_BODY.lastIndex = at + 1;
    KEY_BODY.test(this.text);
    const colon = KEY_BODY.lastIndex;
    if (this.text.charCodeAt(colon) !== COLON) return undefined;
    const after = this.text.charCodeAt(colon + 1);
    return colon + 1 >= this.ends[this.i] || after === SPACE ? colon : undefined;
  }

  private seq(col: number, at: number): YAMLSeq {
    const seq = new YAMLSeq(this.doc.schema);
    const start = at;
    let end = at;
    for (;;) {
      const line = this.i;
      const dash = this.starts[line] + col;
      let p = dash + 1;
      while (p < this.ends[line] && this.text.charCodeAt(p) === SPACE) p++;
      let item: Node;
      if (p >= this.ends[line] || this.text.charCodeAt(p) === HASH) {
        // `-` alone: the item is the more-indented block below
        if (p < this.ends[line]) throw GIVE_UP;
        this.i++;
        if (this.i < this.count && this.indents[this.i] > col) item = this.block(this.indents[this.i], this.starts[this.i] + this.indents[this.i]);
        else throw GIVE_UP;
      } else if (this.text.charCodeAt(p) === DASH && this.isIndicator(p + 1)) {
        throw GIVE_UP; // `- - x`
      } else if (this.keyEnd(p) !== undefined) {
        item = this.map(p - this.starts[line], p);
      } else {
        item = this.inlineScalar(p, col);
      }
      seq.items.push(item);
      end = item.range![2];
      if (this.i >= this.count) break;
      const indent = this.indents[this.i];
      if (indent > col) throw GIVE_UP;
      if (indent < col) break;
      const next = this.starts[this.i] + col;
      if (!(this.text.charCodeAt(next) === DASH && this.isIndicator(next + 1))) break;
    }
    seq.range = [start, end, end];
    return seq;
  }

  private map(col: number, at: number): YAMLMap {
    const map = new YAMLMap(this.doc.schema);
    const start = at;
    let end = at;
    let keyAt = at;
    for (;;) {
      const line = this.i;
      const colon = this.keyEnd(keyAt);
      if (colon === undefined) throw GIVE_UP;
      const keySource = this.text.slice(keyAt, colon);
      if (keySource === '<<') throw GIVE_UP;
      const key = this.plain(keySource, [keyAt, colon, colon], true);
      let p = colon + 1;
      while (p < this.ends[line] && this.text.charCodeAt(p) === SPACE) p++;
      let value: Node;
      if (p >= this.ends[line] || this.text.charCodeAt(p) === HASH) {
        if (p < this.ends[line]) throw GIVE_UP; // a comment after `key:`: its place in the ranges is yaml's call
        this.i++;
        const next = this.i < this.count ? this.indents[this.i] : -1;
        const nextAt = this.i < this.count ? this.starts[this.i] + next : -1;
        if (next > col) value = this.block(next, nextAt);
        else if (next === col && this.text.charCodeAt(nextAt) === DASH && this.isIndicator(nextAt + 1)) value = this.seq(col, nextAt);
        else {
          if (this.commentLinesBetween(this.ends[line], this.i < this.count ? this.starts[this.i] : this.text.length)) throw GIVE_UP;
          value = this.plain('', [p, p, p], false);
        }
      } else {
        value = this.inlineScalar(p, col);
      }
      map.items.push(new Pair(key, value));
      end = value.range![2];
      if (this.i >= this.count) break;
      const indent = this.indents[this.i];
      if (indent > col) throw GIVE_UP;
      if (indent < col) break;
      keyAt = this.starts[this.i] + col;
      // a sequence at the key column ends a map that is a sequence item's compact mapping
      if (this.text.charCodeAt(keyAt) === DASH && this.isIndicator(keyAt + 1)) break;
    }
    map.range = [start, end, end];
    return map;
  }

  private commentLinesBetween(from: number, to: number): boolean {
    return this.text.slice(from, to).includes('#');
  }

  /** a one-line scalar at `p` on the current line; the next meaningful line must not continue it */
  private inlineScalar(p: number, col: number): Scalar | YAMLMap | YAMLSeq {
    const text = this.text;
    const lineEnd = this.ends[this.i];
    const ch = text.charCodeAt(p);
    let valueEnd: number;
    let node: Scalar | YAMLMap | YAMLSeq;
    if (ch === 34 /* " */ || ch === 39 /* ' */) {
      const quote = text[p];
      let q = p + 1;
      for (;;) {
        while (q < lineEnd && text.charCodeAt(q) !== ch) q++;
        if (q >= lineEnd) throw GIVE_UP;
        if (ch === 39 && text.charCodeAt(q + 1) === 39) {
          q += 2;
          continue;
        }
        break;
      }
      const inner = text.slice(p + 1, q);
      if (quote === '"' && inner.includes('\\')) throw GIVE_UP;
      valueEnd = q + 1;
      node = new Scalar(quote === "'" ? inner.replace(/''/g, "'") : inner);
      node.type = quote === "'" ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE;
      (node as Scalar).source = (node as Scalar).value as string;
    } else if ((ch === 91 /* [ */ && text.charCodeAt(p + 1) === 93) || (ch === 123 /* { */ && text.charCodeAt(p + 1) === 125)) {
      valueEnd = p + 2;
      node = ch === 91 ? new YAMLSeq(this.doc.schema) : new YAMLMap(this.doc.schema);
      node.flow = true;
    } else {
      // plain: up to a comment (` #`) or the end of the line; `: ` inside would be a nested mapping
      if (!PLAIN_START.test(text[p])) {
        // `-`, `?` and `:` start a plain scalar only when a non-space follows (`-1`, `:x`)
        if (!(INDICATOR_START.test(text[p]) && p + 1 < lineEnd && text.charCodeAt(p + 1) !== SPACE)) throw GIVE_UP;
      }
      let e = p;
      while (e < lineEnd && !(text.charCodeAt(e) === HASH && text.charCodeAt(e - 1) === SPACE)) e++;
      while (e > p && text.charCodeAt(e - 1) === SPACE) e--;
      const source = text.slice(p, e);
      if (source.includes(': ') || source.endsWith(':') || source.includes('\t')) throw GIVE_UP;
      valueEnd = e;
      node = this.plain(source, [p, e, e], false);
    }
    // after the value: spaces, then a comment or nothing
    let c = valueEnd;
    while (c < lineEnd && text.charCodeAt(c) === SPACE) c++;
    if (c < lineEnd && !(text.charCodeAt(c) === HASH && c > valueEnd)) throw GIVE_UP;
    const end = lineEnd < text.length ? lineEnd + 1 : lineEnd;
    node.range = [p, valueEnd, end] as Range;
    this.i++;
    // a more-indented line after a one-line scalar would continue it (or be an error): not ours to judge
    if (this.i < this.count && this.indents[this.i] > col) throw GIVE_UP;
    return node;
  }

  /** a plain scalar resolved through the document's schema, like `yaml`'s composer */
  private plain(source: string, range: Range, atKey: boolean): Scalar {
    let tag: ScalarTag | undefined;
    if (source === '' || MAYBE_TYPED.test(source)) {
      for (const t of this.tags) {
        if ((t.default === true || (atKey && t.default === 'key')) && t.test?.test(source)) {
          tag = t;
          break;
        }
      }
    }
    let scalar: Scalar;
    if (tag) {
      let failed = false;
      const res = tag.resolve(source, () => (failed = true), this.options);
      if (failed) throw GIVE_UP;
      scalar = isScalar(res) ? (res as Scalar) : new Scalar(res);
      if (tag.format) scalar.format = tag.format;
    } else {
      scalar = new Scalar(source);
    }
    scalar.range = range;
    scalar.source = source;
    scalar.type = Scalar.PLAIN;
    return scalar;
  }
}

/**
 * First characters of every plain scalar the YAML 1.1 schema resolves to something other than a string
 * (null `~`/null, booleans y/n/yes/no/true/false/on/off, ints, floats, times, timestamps, the `<<` merge
 * key): the rest are strings without testing each tag's pattern.
 */
const MAYBE_TYPED = /^[~NnYyTtOoFf0-9+.<-]/;

/** first characters a one-line plain scalar may have here (indicators and quotes are handled or refused) */
const PLAIN_START = /^[^\s#&*!|>'"%@`{}[\],?:-]$/;
const INDICATOR_START = /^[-?:]$/;

export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

/** the `yaml` document for `text`, or undefined when the text is outside the subset this reader handles */
export function parseBlockYaml(text: string, options: YamlOptions): Document.Parsed | undefined {
  if (text.includes('\t') || text.includes('\r') || text.includes('\uFEFF')) return undefined;
  const doc = new Document(undefined, options) as Document.Parsed;
  const reader = new Reader(text, doc);
  try {
    const { docStart } = reader.scan();
    const root = reader.parseRoot();
    doc.contents = root as never;
    if (docStart) doc.directives.docStart = true;
    doc.range = [0, root.range![2], text.length];
    return doc;
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}
