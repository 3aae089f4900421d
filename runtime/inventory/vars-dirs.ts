/**
 * `group_vars/` and `host_vars/` beside an inventory or a playbook, as Ansible's host_group_vars plugin finds them:
 * for an entity NAME the first that exists of `NAME` (a file or a directory), `NAME.yml`, `NAME.yaml`, `NAME.json`;
 * a directory contributes its files recursively in sorted order (hidden and `~` backup files skipped), later files
 * overriding earlier ones. Every file must hold a mapping.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InventoryError } from './model';
import { loadYaml } from './yaml-load';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

function dirFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...dirFiles(path));
    else if (EXTENSIONS.some((ext) => ext !== '' && entry.endsWith(ext)) || !entry.includes('.')) out.push(path);
  }
  return out;
}

/** The files that define vars for `name` under `dir` (group_vars or host_vars), in load order. */
export function varsFilesFor(dir: string, name: string): string[] {
  for (const ext of EXTENSIONS) {
    const path = join(dir, name + ext);
    if (!existsSync(path)) continue;
    return statSync(path).isDirectory() ? dirFiles(path) : [path];
  }
  return [];
}

export function readVarsFile(path: string): Record<string, unknown> {
  const { doc, at, js } = loadYaml(readFileSync(path, 'utf8'), path);
  const value = js(doc.contents);
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InventoryError(at(doc.contents), 'variables must be stored as a dictionary/hash');
  return value as Record<string, unknown>;
}

/** Reads and caches vars per (dir, entity) so repeated hostVars() calls do not touch the disk again. */
export class VarsDirectory {
  private readonly cache = new Map<string, Record<string, unknown>>();

  /** `base` holds (or not) `group_vars/` and `host_vars/`. */
  constructor(readonly base: string) {}

  groupVars(group: string): Record<string, unknown> {
    return this.load('group_vars', group);
  }

  hostVars(host: string): Record<string, unknown> {
    return this.load('host_vars', host);
  }

  /** Loads everything now so errors surface before any host is contacted. */
  preload(groups: Iterable<string>, hosts: Iterable<string>): void {
    for (const group of groups) this.groupVars(group);
    for (const host of hosts) this.hostVars(host);
  }

  private load(kind: 'group_vars' | 'host_vars', name: string): Record<string, unknown> {
    const key = `${kind}/${name}`;
    let vars = this.cache.get(key);
    if (!vars) {
      vars = {};
      const dir = join(this.base, kind);
      if (existsSync(dir)) for (const file of varsFilesFor(dir, name)) Object.assign(vars, readVarsFile(file));
      this.cache.set(key, vars);
    }
    return vars;
  }
}
