/**
 * PyYAML's dump format as Ansible's to_yaml (default_flow_style=None: innermost collections inline)
 * and to_nice_yaml (indent 4, block style) produce it, keys sorted. from_yaml uses the `yaml` package.
 */
import { parse, parseAllDocuments } from 'yaml';
import { fail, floatRepr, isDict, PyFloat, Undefined } from './values';

const RESERVED = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|=|<<)$/;
const NUMBERISH = /^[-+]?(?:\d[\d_]*(?:\.[\d_]*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|0[xob][\da-fA-F_]+|\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN|\d+(?::[0-5]?\d)+(?:\.\d*)?)$/;

function plainOk(s: string, inFlow: boolean): boolean {
  if (s === '' || RESERVED.test(s) || NUMBERISH.test(s)) return false;
  if (/^[\s]|[\s]$/.test(s) || /[\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f]/.test(s)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) && !/^[-?:][^\s]/.test(s)) return false;
  if (/^[-?:]$/.test(s)) return false;
  if (s.includes(': ') || s.includes(' #') || s.endsWith(':')) return false;
  if (inFlow && /[,[\]{}]/.test(s)) return false;
  return true;
}

function scalar(v: unknown, inFlow: boolean): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Undefined) throw v.error();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' || v instanceof PyFloat) {
    const n = typeof v === 'number' ? v : v.value;
    if (typeof v === 'number' && Number.isInteger(n)) return String(n);
    if (Number.isNaN(n)) return '.nan';
    if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
    const r = floatRepr(n);
    return /e/.test(r) && !r.includes('.') ? r.replace('e', '.0e') : r;
  }
  const s = String(v);
  if (plainOk(s, inFlow)) return s;
  if (/[\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\\"]/.test(s) && /[\n\r\x00-\x08\x0b\x0c\x0e-\x1f]/.test(s)) {
    return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t') + '"';
  }
  return "'" + s.replace(/'/g, "''") + "'";
}

function isCollection(v: unknown): v is unknown[] | Record<string, unknown> {
  return Array.isArray(v) || isDict(v);
}

function flow(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(flow).join(', ') + ']';
  if (isDict(v)) return '{' + Object.keys(v).sort().map((k) => `${scalar(k, true)}: ${flow(v[k])}`).join(', ') + '}';
  return scalar(v, true);
}

/** yaml.dump(value, default_flow_style=None|False, indent=n), keys sorted like PyYAML */
export function pyYamlDump(value: unknown, indent: number, flowLeaves: boolean): string {
  const lines: string[] = [];
  const leaf = (v: unknown) => !isCollection(v) || (flowLeaves && (Array.isArray(v) ? v : Object.values(v)).every((x) => !isCollection(x)));
  const emptyColl = (v: unknown) => isCollection(v) && (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);
  const inline = (v: unknown) => (isCollection(v) ? flow(v) : scalar(v, false));
  const block = (v: unknown, pad: string): void => {
    if (Array.isArray(v)) {
      for (const item of v) {
        const dash = '-' + ' '.repeat(indent - 1);
        if (leaf(item) || emptyColl(item)) lines.push(pad + '- ' + inline(item));
        else {
          const start = lines.length;
          block(item, pad + ' '.repeat(indent));
          lines[start] = pad + dash + lines[start].slice(pad.length + indent);
        }
      }
      return;
    }
    const d = v as Record<string, unknown>;
    for (const k of Object.keys(d).sort()) {
      const item = d[k];
      const key = scalar(k, false);
      if (leaf(item) || emptyColl(item)) lines.push(`${pad}${key}: ${inline(item)}`);
      else {
        lines.push(`${pad}${key}:`);
        block(item, Array.isArray(item) ? pad : pad + ' '.repeat(indent));
      }
    }
  };
  if (!isCollection(value) || leaf(value) || emptyColl(value)) {
    const text = inline(value);
    // ansible-core's to_yaml output for a lone scalar has no document end marker ("5\n", not "5\n...\n")
    return text + '\n';
  }
  block(value, '');
  return lines.join('\n') + '\n';
}

/**
 * `yaml`'s 1.1 schema is broader than PyYAML's (which Ansible uses): PyYAML reads neither y/n as booleans
 * nor 1e3 (no dot, unsigned exponent) as a float.
 */
const PYYAML_TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const PYYAML_FALSE = /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
const PYYAML_EXP_FLOAT = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*[eE][-+][0-9]+$/;
type TagLike = { tag?: string; test?: RegExp; format?: string };

function pyyamlTags(tags: unknown[]): unknown[] {
  return tags.map((t) => {
    const tag = t as TagLike;
    if (typeof t !== 'object' || !tag.test) return t;
    if (tag.tag === 'tag:yaml.org,2002:bool') return { ...tag, test: tag.test.test('y') ? PYYAML_TRUE : PYYAML_FALSE };
    if (tag.tag === 'tag:yaml.org,2002:float' && tag.format === 'EXP') return { ...tag, test: PYYAML_EXP_FLOAT };
    return t;
  });
}

const YAML_OPTIONS = { version: '1.1', uniqueKeys: false, customTags: pyyamlTags as never, logLevel: 'error' } as const;

export function fromYaml(text: string): unknown {
  try {
    return parse(text, YAML_OPTIONS);
  } catch (e) {
    return fail(`failed to parse YAML: ${(e as Error).message}`, 'filter');
  }
}

export function fromYamlAll(text: string): unknown[] {
  const docs = parseAllDocuments(text, YAML_OPTIONS);
  return (Array.isArray(docs) ? docs : [docs]).map((d) => {
    if (d.errors.length) fail(`failed to parse YAML: ${d.errors[0].message}`, 'filter');
    return d.toJS();
  });
}
