/**
 * INI inventories, as Ansible's ini plugin reads them: hosts before any section are ungrouped; `[group]`,
 * `[group:vars]`, `[group:children]`; host lines split like a shell (`#` starts a comment) with `key=value` vars
 * and `:port`; values coerced with Python literal rules; a `:children` entry or `:vars` section must refer to a
 * group declared somewhere in the same file.
 */
import { expandHostRange, HostRangeError, splitHostPort } from './host-range';
import { InventoryError, type InventoryData, type SourceLocation } from './model';
import { parseIniValue } from './python-literal';
import { ShlexError, shlexSplit } from '../text/shlex';

type SectionKind = 'hosts' | 'vars' | 'children';

interface Pending {
  location: SourceLocation;
  kind: 'vars' | 'children';
  parents: string[];
}

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:[#;].*)?$/;

export function parseIniInventory(text: string, file: string, data: InventoryData): void {
  let group = 'ungrouped';
  let kind: SectionKind = 'hosts';
  // groups referenced before (or without) being declared; an undeclared one at the end is an error
  const pending = new Map<string, Pending>();
  const declared = new Set<string>(['all', 'ungrouped']);

  const declare = (name: string): void => {
    declared.add(name);
    pending.delete(name);
  };

  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const col = raw.length - raw.trimStart().length + 1;
    const location: SourceLocation = { file, line: lineNo, col };

    if (line.startsWith('[')) {
      const match = SECTION.exec(line);
      if (!match) throw new InventoryError(location, `Invalid section entry: '${line}'. Please make sure that there are no spaces in the section entry, and that there are no other invalid characters`);
      const [, name, suffix] = match;
      if (suffix !== undefined && suffix !== 'vars' && suffix !== 'children' && suffix !== 'hosts') {
        throw new InventoryError(location, `Section [${name}:${suffix}] has unknown type: ${suffix}`);
      }
      group = name;
      kind = suffix === 'vars' ? 'vars' : suffix === 'children' ? 'children' : 'hosts';
      data.addGroup(name, location);
      if (kind === 'vars') {
        if (!declared.has(name) && !pending.has(name)) pending.set(name, { location, kind: 'vars', parents: [] });
      } else {
        declare(name);
      }
      return;
    }

    if (kind === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) throw new InventoryError(location, `Expected key=value, got: ${line}`);
      const key = line.slice(0, eq).trim();
      if (key === '') throw new InventoryError(location, `Expected key=value, got: ${line}`);
      data.addGroup(group).vars[key] = parseIniValue(line.slice(eq + 1).trim());
      return;
    }

    if (kind === 'children') {
      const child = shlexOrFail(line, location)[0];
      if (child === undefined) return;
      if (!declared.has(child)) {
        const entry = pending.get(child);
        if (entry && entry.kind === 'children') entry.parents.push(group);
        else if (!entry) pending.set(child, { location, kind: 'children', parents: [group] });
      }
      data.addChild(group, child, location);
      return;
    }

    // a host definition: PATTERN [key=value ...]
    const tokens = shlexOrFail(line, location);
    if (tokens.length === 0) return;
    const [pattern, ...assignments] = tokens;
    if (pattern.endsWith(':')) throw new InventoryError(location, `Invalid host pattern '${pattern}' supplied, ending in ':' is not allowed, this character is reserved to provide a port.`);
    const { host, port } = splitHostPort(pattern);
    let names: string[];
    try {
      names = expandHostRange(host);
    } catch (error) {
      if (error instanceof HostRangeError) throw new InventoryError(location, error.message);
      throw error;
    }
    const vars: Record<string, unknown> = {};
    for (const assignment of assignments) {
      const eq = assignment.indexOf('=');
      if (eq <= 0) throw new InventoryError(location, `Expected key=value host variable assignment, got: ${assignment}`);
      vars[assignment.slice(0, eq)] = parseIniValue(assignment.slice(eq + 1));
    }
    for (const name of names) {
      const hostData = data.addHost(name, group, location);
      if (port !== undefined) hostData.vars.ansible_port = port;
      Object.assign(hostData.vars, vars);
    }
  });

  for (const [name, entry] of pending) {
    if (entry.kind === 'vars') throw new InventoryError(entry.location, `Section [${name}:vars] not valid for undefined group: ${name}`);
    throw new InventoryError(entry.location, `Section [${entry.parents.join(', ')}:children] includes undefined group: ${name}`);
  }
}

function shlexOrFail(line: string, location: SourceLocation): string[] {
  try {
    return shlexSplit(line, { comments: true });
  } catch (error) {
    if (error instanceof ShlexError) throw new InventoryError(location, `Error parsing host definition '${line}': ${error.message}`);
    throw error;
  }
}
