/**
 * In-memory inventory changes made by add_host and group_by while a playbook runs, with the rules of
 * ansible-core's InventoryManager.add_dynamic_host / add_dynamic_group: `changed` is true only when the host, a
 * group, a membership or a variable was new, and the inventory is reconciled afterwards (new groups under `all`,
 * groupless hosts in `ungrouped`).
 */
import type { InventoryData } from './model';

export interface DynamicHost {
  host_name: string;
  groups: string[];
  host_vars: Record<string, unknown>;
}

export function addDynamicHost(data: InventoryData, info: DynamicHost): boolean {
  let changed = false;
  let host = data.hosts.get(info.host_name);
  if (!host) {
    host = data.addHost(info.host_name, 'all');
    changed = true;
  }
  for (const [key, value] of Object.entries(info.host_vars)) {
    if (!(key in host.vars) || JSON.stringify(host.vars[key]) !== JSON.stringify(value)) {
      host.vars[key] = value;
      changed = true;
    }
  }
  for (const group of info.groups) {
    if (!data.groups.has(group)) changed = true;
    if (!data.groups.get(group)?.hosts.includes(info.host_name)) {
      data.addHost(info.host_name, group);
      changed = true;
    }
  }
  if (changed) data.reconcile();
  return changed;
}

export function addDynamicGroup(data: InventoryData, hostName: string, group: string, parents: string[]): boolean {
  let changed = false;
  for (const parent of parents) {
    if (!data.groups.has(parent)) {
      data.addGroup(parent);
      changed = true;
    }
  }
  data.addGroup(group);
  for (const parent of parents) {
    if (!data.groups.get(parent)!.children.includes(group)) {
      data.addChild(parent, group);
      changed = true;
    }
  }
  if (!data.groups.get(group)!.hosts.includes(hostName)) {
    // the implicit localhost becomes a real inventory host here, as in Ansible
    data.addHost(hostName, group);
    changed = true;
  }
  if (changed) data.reconcile();
  return changed;
}
