/**
 * The inventory graph parsers fill in, with Ansible's rules: `all` and `ungrouped` always exist (`ungrouped` is
 * the first child of `all`), every group without a parent becomes a child of `all`, and a host in no group but
 * `all` lands in `ungrouped`. Group depth is the longest path from `all`; group vars apply by (depth, priority,
 * name), as Ansible's sort_groups.
 */

export interface SourceLocation {
  file: string;
  line: number;
  col?: number;
}

/** An inventory problem, located: `file:line:col: message`. */
export class InventoryError extends Error {
  constructor(
    readonly location: SourceLocation | undefined,
    readonly detail: string,
  ) {
    super(location ? `${location.file}:${location.line}${location.col !== undefined ? `:${location.col}` : ''}: ${detail}` : detail);
    this.name = 'InventoryError';
  }
}

export interface GroupData {
  name: string;
  vars: Record<string, unknown>;
  /** direct member hosts, in the order they were added */
  hosts: string[];
  children: string[];
  parents: string[];
  location?: SourceLocation;
}

export interface HostData {
  name: string;
  vars: Record<string, unknown>;
  /** groups the host was put in directly */
  groups: string[];
  /** where the host first appeared */
  location?: SourceLocation;
}

export class InventoryData {
  readonly groups = new Map<string, GroupData>();
  readonly hosts = new Map<string, HostData>();
  /** non-fatal problems, worded like Ansible's warnings */
  readonly warnings: string[] = [];

  constructor() {
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  addGroup(name: string, location?: SourceLocation): GroupData {
    let group = this.groups.get(name);
    if (!group) {
      group = { name, vars: {}, hosts: [], children: [], parents: [], location };
      this.groups.set(name, group);
    }
    return group;
  }

  addHost(name: string, groupName: string | undefined, location?: SourceLocation): HostData {
    let host = this.hosts.get(name);
    if (!host) {
      host = { name, vars: {}, groups: [], location };
      if (location) {
        host.vars.inventory_file = location.file;
        host.vars.inventory_dir = location.file.replace(/\/[^/]*$/, '') || '/';
      }
      this.hosts.set(name, host);
    }
    if (groupName !== undefined) {
      const group = this.addGroup(groupName, location);
      if (!group.hosts.includes(name)) group.hosts.push(name);
      if (!host.groups.includes(groupName)) host.groups.push(groupName);
    }
    return host;
  }

  addChild(parentName: string, childName: string, location?: SourceLocation): void {
    const parent = this.addGroup(parentName, location);
    const child = this.addGroup(childName, location);
    if (parent.children.includes(childName)) return;
    if (parentName === childName || this.ancestorsOf(parentName).has(childName)) {
      throw new InventoryError(location, `Adding group '${childName}' as child to '${parentName}' creates a recursive dependency loop.`);
    }
    parent.children.push(childName);
    child.parents.push(parentName);
  }

  ancestorsOf(groupName: string): Set<string> {
    const seen = new Set<string>();
    const walk = (name: string): void => {
      for (const parent of this.groups.get(name)?.parents ?? []) {
        if (seen.has(parent)) continue;
        seen.add(parent);
        walk(parent);
      }
    };
    walk(groupName);
    return seen;
  }

  /** Ansible's reconcile_inventory: parentless groups under `all`, groupless hosts in `ungrouped`. */
  reconcile(): void {
    for (const group of this.groups.values()) {
      if (group.name !== 'all' && group.parents.length === 0) this.addChild('all', group.name);
    }
    const ungrouped = this.groups.get('ungrouped')!;
    for (const host of this.hosts.values()) {
      const others = host.groups.filter((g) => g !== 'all' && g !== 'ungrouped');
      if (others.length > 0 && host.groups.includes('ungrouped')) {
        host.groups = host.groups.filter((g) => g !== 'ungrouped');
        ungrouped.hosts = ungrouped.hosts.filter((h) => h !== host.name);
      } else if (others.length === 0 && !host.groups.includes('ungrouped')) {
        host.groups.push('ungrouped');
        ungrouped.hosts.push(host.name);
      }
    }
  }

  /** Longest path from `all` (all = 0). */
  depthOf(groupName: string, seen = new Set<string>()): number {
    if (groupName === 'all' || seen.has(groupName)) return 0;
    seen.add(groupName);
    const parents = this.groups.get(groupName)?.parents ?? [];
    const depth = parents.length === 0 ? 0 : Math.max(...parents.map((p) => this.depthOf(p, new Set(seen)) + 1));
    return depth;
  }

  priorityOf(groupName: string): number {
    const value = Number(this.groups.get(groupName)?.vars.ansible_group_priority ?? 1);
    return Number.isFinite(value) ? value : 1;
  }

  /** Every group a host is in, directly or through children, including `all`. */
  groupsOfHost(hostName: string): string[] {
    const host = this.hosts.get(hostName);
    if (!host) return [];
    const result = new Set<string>();
    for (const group of host.groups) {
      result.add(group);
      for (const ancestor of this.ancestorsOf(group)) result.add(ancestor);
    }
    result.add('all');
    return [...result];
  }

  /** Groups in the order their vars apply: (depth, priority, name), as Ansible's sort_groups. */
  sortGroups(names: string[]): string[] {
    const key = new Map(names.map((n) => [n, { depth: this.depthOf(n), priority: this.priorityOf(n) }]));
    return [...names].sort((a, b) => {
      const ka = key.get(a)!;
      const kb = key.get(b)!;
      return ka.depth - kb.depth || ka.priority - kb.priority || (a < b ? -1 : a > b ? 1 : 0);
    });
  }

  /**
   * A group's hosts, its own first and then its descendants' level by level, each host once (Ansible's
   * Group.get_hosts with preserve_ordering).
   */
  hostsOfGroup(groupName: string): string[] {
    const order: string[] = [];
    const seenGroups = new Set<string>([groupName]);
    let level = [groupName];
    while (level.length > 0) {
      order.push(...level);
      const next: string[] = [];
      for (const name of level) {
        for (const child of this.groups.get(name)?.children ?? []) {
          if (!seenGroups.has(child)) {
            seenGroups.add(child);
            next.push(child);
          }
        }
      }
      level = next;
    }
    const hosts: string[] = [];
    const seenHosts = new Set<string>();
    for (const name of order) {
      for (const host of this.groups.get(name)?.hosts ?? []) {
        if (!seenHosts.has(host)) {
          seenHosts.add(host);
          hosts.push(host);
        }
      }
    }
    return hosts;
  }
}
