/**
 * Host patterns, as Ansible's InventoryManager evaluates them: terms split on `,` (or `:` when there is no comma,
 * keeping `[x:y]` and IPv6 colons), applied as all plain terms (union, in order), then `&` terms (intersection),
 * then `!` terms (exclusion); only `&`/`!` terms start from `all`. A term matches group names and host names by
 * shell wildcard (`web*`) or, with a leading `~`, by regular expression (anchored at the start, as re.match), and
 * may end in a subscript `[i]`, `[i:j]` (inclusive) or `[i:]`. localhost/127.0.0.1/::1 not in the inventory
 * match the inventory's own localhost alias if it has one, else the implicit localhost.
 */
import type { InventoryData } from './model';

export const LOCALHOST_NAMES = ['localhost', '127.0.0.1', '::1'];

export class PatternError extends Error {}

export function splitPattern(pattern: string | string[]): string[] {
  if (Array.isArray(pattern)) return pattern.flatMap(splitPattern);
  let parts: string[];
  if (pattern.includes(',')) parts = pattern.split(',');
  else if (isSingleAddress(pattern)) parts = [pattern];
  else parts = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** A lone IPv6 address or `name:port` is one term, not a colon-separated list. */
function isSingleAddress(pattern: string): boolean {
  if (/^[0-9a-fA-F]*:[0-9a-fA-F:]*:[0-9a-fA-F:.]*$/.test(pattern)) return true;
  if (/^\[[0-9a-fA-F:.]+\](:\d+)?$/.test(pattern)) return true;
  return /^[A-Za-z0-9_.-]+:\d+$/.test(pattern) && !/^[A-Za-z_]/.test(pattern.split(':')[1] ?? '');
}

export function orderPatterns(terms: string[]): string[] {
  const regular = terms.filter((t) => !t.startsWith('!') && !t.startsWith('&'));
  const intersections = terms.filter((t) => t.startsWith('&'));
  const exclusions = terms.filter((t) => t.startsWith('!'));
  return [...(regular.length > 0 ? regular : ['all']), ...intersections, ...exclusions];
}

const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/;

function splitSubscript(term: string): { pattern: string; subscript?: [number, number | undefined] } {
  if (term.startsWith('~')) return { pattern: term };
  const m = SUBSCRIPT.exec(term);
  if (!m) return { pattern: term };
  const [, pattern, index, start, , end] = m;
  if (index !== undefined) return { pattern, subscript: [Number(index), undefined] };
  return { pattern, subscript: [Number(start), end === '' ? -1 : Number(end)] };
}

function applySubscript(hosts: string[], subscript: [number, number | undefined] | undefined): string[] {
  if (!subscript) return hosts;
  const [start, end] = subscript;
  // Ansible treats an end of 0 like "no end" (a single index), and -1 as "to the last"
  if (end) {
    const last = end === -1 ? hosts.length - 1 : end;
    return hosts.slice(start, last + 1);
  }
  const index = start < 0 ? hosts.length + start : start;
  return index >= 0 && index < hosts.length ? [hosts[index]] : [];
}

function compile(pattern: string): RegExp {
  if (pattern.startsWith('~')) {
    try {
      return new RegExp('^(?:' + pattern.slice(1) + ')');
    } catch (error) {
      throw new PatternError(`Invalid host list pattern: ${pattern} (${(error as Error).message})`);
    }
  }
  // fnmatch: * any run, ? one character, [seq] a class, [!seq] a negated class; case-sensitive
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) source += '\\[';
      else {
        let body = pattern.slice(i + 1, close);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        source += '[' + body.replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else source += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp('^' + source + '$', 's');
}

const WILDCARD_CHARS = ['.', '?', '*', '['];

export interface PatternMatch {
  hosts: string[];
  warnings: string[];
}

/** One term without its &/! prefix. `implicitLocalhost` decides whether localhost may be conjured. */
function matchTerm(data: InventoryData, term: string, allowImplicit: (name: string) => boolean, warnings: string[]): string[] {
  const { pattern, subscript } = splitSubscript(term);
  const regex = compile(pattern);
  const results: string[] = [];
  const seen = new Set<string>();
  const add = (host: string): void => {
    if (!seen.has(host)) {
      seen.add(host);
      results.push(host);
    }
  };
  const groups = [...data.groups.keys()].filter((g) => regex.test(g));
  for (const group of groups) for (const host of data.hostsOfGroup(group)) add(host);
  if (groups.length === 0 || pattern.startsWith('~') || WILDCARD_CHARS.some((c) => pattern.includes(c))) {
    for (const host of data.hosts.keys()) if (regex.test(host)) add(host);
  }
  if (results.length === 0 && LOCALHOST_NAMES.includes(pattern)) {
    // as Ansible: a localhost alias defined in the inventory (the last one) stands for all of them
    const defined = [...data.hosts.keys()].filter((h) => LOCALHOST_NAMES.includes(h)).pop();
    if (defined !== undefined) add(defined);
    else if (allowImplicit(pattern)) add(pattern);
  }
  if (results.length === 0 && groups.length === 0 && pattern !== 'all') warnings.push(`Could not match supplied host pattern, ignoring: ${pattern}`);
  return applySubscript(results, subscript);
}

export function evaluatePatterns(data: InventoryData, pattern: string | string[], allowImplicit: (name: string) => boolean): PatternMatch {
  const warnings: string[] = [];
  let hosts: string[] = [];
  for (const term of orderPatterns(splitPattern(pattern))) {
    if (data.hosts.has(term)) {
      if (!hosts.includes(term)) hosts.push(term);
      continue;
    }
    const body = term.startsWith('!') || term.startsWith('&') ? term.slice(1) : term;
    const matched = matchTerm(data, body, allowImplicit, warnings);
    if (term.startsWith('!')) {
      const drop = new Set(matched);
      hosts = hosts.filter((h) => !drop.has(h));
    } else if (term.startsWith('&')) {
      const keep = new Set(matched);
      hosts = hosts.filter((h) => keep.has(h));
    } else {
      const existing = new Set(hosts);
      for (const host of matched) if (!existing.has(host)) hosts.push(host);
    }
  }
  return { hosts, warnings };
}
