/**
 * Reading `yaml` nodes into model pieces: spans, entries, plain JS values. YAML 1.1 like PyYAML, so `yes`
 * is a boolean and `0644` an octal number, as Ansible sees them.
 */
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Diagnostic, Entry, SourceFile, Span } from './model';
import { parseBlockYaml, type YamlOptions } from './block-yaml';

export type YamlDoc = Document.Parsed;

/** Ansible's own tags: values stay plain strings (vault text is opaque to analysis). */
const ANSIBLE_TAGS = ['!unsafe', '!vault', '!vault-encrypted'].map((tag) => ({
  tag,
  resolve: (value: string) => value,
  identify: () => false,
}));

/**
 * `yaml`'s 1.1 schema is broader than PyYAML's, which is what Ansible uses: PyYAML does not read y/n as
 * booleans (a var named `n` must stay "n") and wants a dot and a signed exponent in floats (1e3 is a string).
 */
const PYYAML_TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const PYYAML_FALSE = /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
const PYYAML_EXP_FLOAT = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*[eE][-+][0-9]+$/;

type TagLike = { tag?: string; test?: RegExp; format?: string; default?: unknown };

function pyyamlTags(tags: unknown[]): unknown[] {
  const own = tags.map((t) => {
    const tag = t as TagLike;
    if (typeof t !== 'object' || !tag.test) return t;
    if (tag.tag === 'tag:yaml.org,2002:bool') return { ...tag, test: tag.test.test('y') ? PYYAML_TRUE : PYYAML_FALSE };
    if (tag.tag === 'tag:yaml.org,2002:float' && tag.format === 'EXP') return { ...tag, test: PYYAML_EXP_FLOAT };
    return t;
  });
  return [...own, ...ANSIBLE_TAGS];
}

export function parseYaml(file: SourceFile, problems: Diagnostic[]): YamlDoc {
  // `yaml` reports problems as Error objects; capturing their stack traces dominated the cost of parsing
  // broken text as the user types, and the traces are never used
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let doc: YamlDoc;
  try {
    doc = parseYamlDocument(file.text);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return report(doc, file, problems);
}

export const YAML_OPTIONS: YamlOptions = {
  version: '1.1',
  // no process warnings from inside a language server (collection keys and the like become problems or are ignored)
  logLevel: 'error',
  // PyYAML keeps the last of duplicate keys (Ansible warns); we report them as warnings ourselves
  uniqueKeys: false,
  customTags: pyyamlTags as never,
  prettyErrors: false,
};

/** `yaml`'s full parser: the reference, and the reader for everything the block reader leaves to it */
export function parseYamlFully(text: string): YamlDoc {
  return parseDocument(text, YAML_OPTIONS) as YamlDoc;
}

function parseYamlDocument(text: string): YamlDoc {
  // the plain block layout of nearly every playbook has a fast reader that builds the same nodes
  return parseBlockYaml(text, YAML_OPTIONS) ?? parseYamlFully(text);
}

function report(doc: YamlDoc, file: SourceFile, problems: Diagnostic[]): YamlDoc {
  // `yaml` may place an error one past the end of the text (unexpected end of input)
  const clamp = (pos: [number, number]) => {
    const start = Math.max(0, Math.min(pos[0], file.text.length));
    return { start, end: Math.max(start, Math.min(pos[1], file.text.length)) };
  };
  for (const e of doc.errors) problems.push({ file, span: clamp(e.pos), severity: 'error', code: 'yaml-syntax', message: yamlMessage(e.message) });
  for (const w of doc.warnings) problems.push({ file, span: clamp(w.pos), severity: 'warning', code: 'yaml-warning', message: yamlMessage(w.message) });
  return doc;
}

/** first line of a `yaml` error message without its own "at line L, column C" (the span says where) */
function yamlMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
}

export function spanOf(node: Node | null | undefined, fallback: Span): Span {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : fallback;
}

export function toJS(doc: YamlDoc, node: unknown): unknown {
  if (node === null || node === undefined) return null;
  // most values are plain scalars: their value is already resolved, no conversion context needed
  if (isScalar(node) && !node.anchor) return node.value;
  if (typeof (node as Node).toJS === 'function') {
    try {
      return (node as Node).toJS(doc, { maxAliasCount: 1000 });
    } catch {
      // alias loops or exhausted alias budget: keep analysing the rest of the file
      return null;
    }
  }
  return node;
}

export function isTemplated(value: unknown): boolean {
  return typeof value === 'string' && (value.includes('{{') || value.includes('{%'));
}

export function keyText(pair: Pair): string {
  const k = pair.key;
  if (isScalar(k)) return String(k.value);
  if (k === null || k === undefined) return '';
  // a mapping or list used as a key: no keyword can match it; do not stringify a possibly huge node
  return isMap(k) ? '{…}' : isSeq(k) ? '[…]' : '?';
}

/** the YAML value node behind an entry made by entryOf (for walking into mappings and lists) */
const valueNodes = new WeakMap<Entry, unknown>();

export function valueNodeOf(entry: Entry): unknown {
  return valueNodes.get(entry);
}

export function entryOf(doc: YamlDoc, pair: Pair, fallback: Span): Entry {
  const keyNode = pair.key as Node | null;
  const keySpan = spanOf(keyNode, fallback);
  const valueNode = pair.value as Node | null;
  const valueSpan = spanOf(valueNode, { start: keySpan.end, end: keySpan.end });
  let entry: Entry;
  if (isMap(valueNode) || isSeq(valueNode)) {
    // a mapping or list becomes a JS value only when something reads it: most (module args, blocks,
    // task lists) are walked as nodes instead, and converting them all cost a large playbook's analysis dearly
    entry = { key: keyText(pair), keySpan, valueSpan, templated: false } as Entry;
    Object.defineProperty(entry, 'value', {
      enumerable: true,
      configurable: true,
      get() {
        const value = toJS(doc, valueNode);
        Object.defineProperty(entry, 'value', { value, enumerable: true, configurable: true, writable: true });
        return value;
      },
      set(value: unknown) {
        Object.defineProperty(entry, 'value', { value, enumerable: true, configurable: true, writable: true });
      },
    });
  } else {
    const value = toJS(doc, valueNode);
    entry = { key: keyText(pair), value, keySpan, valueSpan, templated: isTemplated(value) };
  }
  valueNodes.set(entry, valueNode);
  return entry;
}

/** the entries of a mapping node, last duplicate winning (as in PyYAML), duplicates reported */
export function entriesOf(doc: YamlDoc, map: YAMLMap, file: SourceFile, problems: Diagnostic[]): { entries: Entry[]; pairs: Map<string, Pair> } {
  const span = spanOf(map, { start: 0, end: 0 });
  const byKey = new Map<string, Entry>();
  const pairs = new Map<string, Pair>();
  for (const item of map.items) {
    const entry = entryOf(doc, item as Pair, span);
    if (entry.key === '<<') continue; // merge keys are resolved into the JS value by toJS; the model ignores them
    if (byKey.has(entry.key)) {
      problems.push({
        file, span: entry.keySpan, severity: 'warning', code: 'duplicate-key',
        message: `found a duplicate dict key (${entry.key}). Using last defined value only.`,
      });
      byKey.delete(entry.key); // keep source order of the winner
    }
    byKey.set(entry.key, entry);
    pairs.set(entry.key, item as Pair);
  }
  return { entries: [...byKey.values()], pairs };
}

/** the entries of a mapping value, as a record (for vars) */
export function recordOf(doc: YamlDoc, node: unknown, file: SourceFile, problems: Diagnostic[]): Record<string, Entry> {
  const out: Record<string, Entry> = {};
  const maps = isMap(node) ? [node] : isSeq(node) ? node.items.filter(isMap) : [];
  for (const map of maps) for (const e of entriesOf(doc, map as YAMLMap, file, problems).entries) out[e.key] = e;
  return out;
}

export function typeName(node: unknown): string {
  if (isMap(node)) return 'mapping';
  if (isSeq(node)) return 'list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'null';
    if (typeof v === 'string') return 'string';
    if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'float';
    if (typeof v === 'boolean') return 'boolean';
    return typeof v;
  }
  return 'value';
}

/** offset just after the last non-space character on the line where `offset` is */
export function lineEnd(text: string, offset: number): number {
  const lf = text.indexOf('\n', offset);
  let end = lf < 0 ? text.length : lf;
  // a lone CR also ends a line; look for one only within this line (indexOf on the rest would be quadratic)
  const cr = text.slice(offset, end).indexOf('\r');
  if (cr >= 0) end = offset + cr;
  while (end > offset && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return end;
}
