/**
 * Loading inventories (`-i` may be given several times: files, directories of inventory files, or a
 * comma-separated host list such as `web1,web2,`) and answering what the executor asks: host patterns with
 * `--limit`, merged inventory variables per host, group membership, the implicit localhost.
 *
 * Variable order for a host (later wins), Ansible's default VARIABLE_PRECEDENCE: `all` vars from inventory
 * files < other groups' vars from inventory files (by depth, priority, name) < `group_vars/all` beside each
 * inventory < `group_vars/all` beside the playbook < `group_vars/<group>` beside inventories < beside the
 * playbook < host vars from inventory files < `host_vars/` beside inventories < beside the playbook.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { parseIniInventory } from './ini';
import { InventoryData, InventoryError, type GroupData, type HostData } from './model';
import { evaluatePatterns, LOCALHOST_NAMES, PatternError, splitPattern, type PatternMatch } from './patterns';
import { VarsDirectory } from './vars-dirs';
import { addDynamicGroup, addDynamicHost, type DynamicHost } from './dynamic';
import { parseYamlInventory } from './yaml';

export { InventoryError } from './model';
export type { GroupData, HostData, SourceLocation } from './model';

export interface LoadInventoryOptions {
  /** directories whose `group_vars/`/`host_vars/` apply at play level (the playbook's directory) */
  playbookDirs?: string[];
  /** base for relative paths (default: process.cwd()) */
  cwd?: string;
}

/** Files in an inventory directory that are not inventories (as Ansible's INVENTORY_IGNORE_EXTS and dirs). */
const IGNORED_IN_DIR = /(^\.|~$|\.(orig|ini\.bak|cfg|retry|pyc|pyo|rst|md|txt)$)/;

const YAML_EXTENSIONS = new Set(['.yml', '.yaml', '.json']);

export class Inventory {
  /** every host defined in the inventories (the implicit localhost is not among them) */
  readonly hosts: ReadonlyMap<string, HostData>;
  /** every group, `all` and `ungrouped` first */
  readonly groupData: ReadonlyMap<string, GroupData>;
  readonly warnings: string[];
  private readonly playbookDirs: VarsDirectory[] = [];
  /** merged vars per host; the sources do not change during a run (cleared when a playbook dir is added) */
  private readonly mergedVars = new Map<string, Record<string, unknown>>();

  constructor(
    readonly data: InventoryData,
    /** directories beside the inventory sources (for group_vars/host_vars), in source order */
    private readonly inventoryDirs: VarsDirectory[],
    /** the inventory sources as given, resolved */
    readonly sources: string[],
  ) {
    this.hosts = data.hosts;
    this.groupData = data.groups;
    this.warnings = data.warnings;
  }

  /** Adds play-level vars directories (beside the playbook); loads them now so errors show early. */
  addPlaybookDir(dir: string): void {
    const vars = new VarsDirectory(resolve(dir));
    vars.preload(this.data.groups.keys(), this.data.hosts.keys());
    this.playbookDirs.push(vars);
    this.mergedVars.clear();
  }

  isImplicitLocalhost(name: string): boolean {
    return !this.data.hosts.has(name) && LOCALHOST_NAMES.includes(name);
  }

  /** Hosts matching a pattern, in inventory order, restricted by `limit` (`--limit`, `@file` entries allowed). */
  matchPattern(pattern: string | string[], options: { limit?: string | string[]; cwd?: string } = {}): PatternMatch {
    try {
      const match = evaluatePatterns(this.data, pattern, (name) => this.isImplicitLocalhost(name));
      if (options.limit === undefined || (Array.isArray(options.limit) && options.limit.length === 0)) return match;
      const limitTerms = expandLimit(options.limit, options.cwd ?? process.cwd());
      const allowed = evaluatePatterns(this.data, limitTerms, (name) => this.isImplicitLocalhost(name));
      const keep = new Set(allowed.hosts);
      return { hosts: match.hosts.filter((h) => keep.has(h)), warnings: [...match.warnings, ...allowed.warnings] };
    } catch (error) {
      if (error instanceof PatternError) throw new InventoryError(undefined, error.message);
      throw error;
    }
  }

  resolvePattern(pattern: string | string[], options: { limit?: string | string[]; cwd?: string } = {}): string[] {
    return this.matchPattern(pattern, options).hosts;
  }

  /** The executor's name for resolvePattern without a limit. */
  selectHosts(pattern: string): string[] {
    return this.resolvePattern(pattern);
  }

  /** Merged inventory variables of a host (see the order at the top of this file). */
  hostVars(name: string): Record<string, unknown> {
    let merged = this.mergedVars.get(name);
    if (!merged) {
      merged = this.mergeHostVars(name);
      this.mergedVars.set(name, merged);
    }
    // callers may add to the result; keep the cached copy intact
    return { ...merged };
  }

  private mergeHostVars(name: string): Record<string, unknown> {
    const implicit = this.isImplicitLocalhost(name);
    if (!implicit && !this.data.hosts.has(name)) throw new InventoryError(undefined, `host "${name}" is not in the inventory`);
    const groups = implicit ? [] : this.data.sortGroups(this.data.groupsOfHost(name).filter((g) => g !== 'all'));
    const out: Record<string, unknown> = {};
    Object.assign(out, this.data.groups.get('all')!.vars);
    for (const group of groups) Object.assign(out, this.data.groups.get(group)!.vars);
    for (const dir of this.inventoryDirs) Object.assign(out, dir.groupVars('all'));
    for (const dir of this.playbookDirs) Object.assign(out, dir.groupVars('all'));
    for (const dir of this.inventoryDirs) for (const group of groups) Object.assign(out, dir.groupVars(group));
    for (const dir of this.playbookDirs) for (const group of groups) Object.assign(out, dir.groupVars(group));
    if (implicit) {
      // Ansible's implicit localhost: a local connection, not a member of `all`, still sees all-group vars
      out.ansible_connection = 'local';
    } else {
      Object.assign(out, this.data.hosts.get(name)!.vars);
    }
    for (const dir of this.inventoryDirs) Object.assign(out, dir.hostVars(name));
    for (const dir of this.playbookDirs) Object.assign(out, dir.hostVars(name));
    return out;
  }

  /** add_host: a host (and its groups and vars) added to the in-memory inventory; true when anything changed */
  addDynamicHost(info: DynamicHost): boolean {
    const changed = addDynamicHost(this.data, info);
    if (changed) this.mergedVars.clear();
    return changed;
  }

  /** group_by: `host` joins `group` (created under `parents`); true when anything changed */
  addDynamicGroup(host: string, group: string, parents: string[]): boolean {
    const implicitLocalhost = this.isImplicitLocalhost(host);
    const changed = addDynamicGroup(this.data, host, group, parents);
    // once in a group the implicit localhost is an inventory host; it keeps its local connection
    if (implicitLocalhost) this.data.hosts.get(host)!.vars.ansible_connection ??= 'local';
    if (changed) this.mergedVars.clear();
    return changed;
  }

  /** `group_names`: the host's groups without `all`, sorted (an ungrouped host is in `ungrouped`). */
  groupNames(name: string): string[] {
    return this.data
      .groupsOfHost(name)
      .filter((g) => g !== 'all')
      .sort();
  }

  /** The `groups` magic variable: every group with its hosts (children included), inventory order. */
  groups(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const name of this.data.groups.keys()) out[name] = this.data.hostsOfGroup(name);
    return out;
  }
}

/** `--limit` terms; `@file` reads one pattern per line (Ansible's retry files). */
export function expandLimit(limit: string | string[], cwd: string): string[] {
  const terms: string[] = [];
  for (const term of splitPattern(limit)) {
    if (!term.startsWith('@')) {
      terms.push(term);
      continue;
    }
    const file = resolve(cwd, term.slice(1));
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new InventoryError(undefined, `Unable to find limit file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    terms.push(...text.split('\n').map((l) => l.trim()).filter((l) => l !== ''));
  }
  return terms;
}

function parseFile(file: string, data: InventoryData): void {
  const text = readFileSync(file, 'utf8');
  // Ansible runs executable inventory files as dynamic inventory scripts; we do not run them
  if (text.startsWith('#!') && (statSync(file).mode & 0o111) !== 0) {
    throw new InventoryError({ file, line: 1, col: 1 }, 'executable inventory scripts are not supported by the bundled runtime; use --engine ansible or a static INI/YAML inventory');
  }
  if (YAML_EXTENSIONS.has(extname(file).toLowerCase())) parseYamlInventory(text, file, data);
  else parseIniInventory(text, file, data);
}

/** Loads one or more inventory sources into one inventory. Errors carry file:line:col. */
export function loadInventory(paths: string[], options: LoadInventoryOptions = {}): Inventory {
  const cwd = options.cwd ?? process.cwd();
  const data = new InventoryData();
  const varsDirs: VarsDirectory[] = [];
  const sources: string[] = [];
  for (const given of paths) {
    const path = isAbsolute(given) ? given : resolve(cwd, given);
    if (!existsSync(path)) {
      if (given.includes(',')) {
        // a host list: `-i 'web1,web2,'`
        for (const entry of given.split(',').map((s) => s.trim()).filter((s) => s !== '')) data.addHost(entry, 'ungrouped');
        sources.push(given);
        continue;
      }
      throw new InventoryError(undefined, `Unable to parse ${path} as an inventory source: no such file or directory`);
    }
    sources.push(path);
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (entry === 'group_vars' || entry === 'host_vars' || IGNORED_IN_DIR.test(entry)) continue;
        const file = join(path, entry);
        if (statSync(file).isFile()) parseFile(file, data);
      }
      varsDirs.push(new VarsDirectory(path));
    } else {
      parseFile(path, data);
      varsDirs.push(new VarsDirectory(dirname(path)));
    }
  }
  data.reconcile();
  for (const dir of varsDirs) dir.preload(data.groups.keys(), data.hosts.keys());
  const inventory = new Inventory(data, varsDirs, sources);
  for (const dir of options.playbookDirs ?? []) inventory.addPlaybookDir(dir);
  return inventory;
}
