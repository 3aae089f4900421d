/**
 * `-e` values as ansible-playbook reads them: `@file` (YAML/JSON), a JSON/YAML mapping, or `k=v k2=v2`
 * (values stay strings, quotes removed). Later values override earlier ones.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { splitArgs, unquote } from '../playbook/free-form';

export class ExtraVarsError extends Error {}

export function parseExtraVars(values: readonly string[], cwd = process.cwd()): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const raw of values) Object.assign(out, parseOne(raw, cwd));
  return out;
}

function parseOne(raw: string, cwd: string): Record<string, unknown> {
  const text = raw.trim();
  if (text === '') return {};
  if (text.startsWith('@')) {
    const path = resolve(cwd, text.slice(1));
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ExtraVarsError(`cannot read extra vars file ${path}: ${(error as Error).message}`);
    }
    return mapping(content, path);
  }
  if (text.startsWith('{') || text.startsWith('---')) return mapping(text, '-e');
  const out: Record<string, unknown> = {};
  for (const token of splitArgs(text)) {
    const eq = token.text.indexOf('=');
    if (eq <= 0) throw new ExtraVarsError(`invalid extra vars "${raw}": expected key=value, a JSON/YAML mapping or @file`);
    out[token.text.slice(0, eq)] = unquote(token.text.slice(eq + 1));
  }
  return out;
}

function mapping(text: string, origin: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new ExtraVarsError(`invalid extra vars in ${origin}: ${(error as Error).message}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ExtraVarsError(`extra vars in ${origin} must be a mapping`);
  return value as Record<string, unknown>;
}
