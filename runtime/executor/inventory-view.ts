/** What the executor needs from an inventory (runtime/inventory provides it; tests may pass their own). */
export interface InventoryView {
  /** hosts matching an Ansible host pattern (`all`, groups, `:`/`,`, `&`, `!`, wildcards), inventory order */
  selectHosts(pattern: string): string[];
  /** inventory variables of a host: group vars (all < parents < children) < host vars */
  hostVars(host: string): Record<string, unknown>;
  /** groups a host belongs to, without `all` and `ungrouped` */
  groupNames(host: string): string[];
  /** group name → member hosts, including `all` and `ungrouped` */
  groups(): Record<string, string[]>;
  /** add_host: adds or updates a host in the in-memory inventory; true when anything changed */
  addDynamicHost?(info: { host_name: string; groups: string[]; host_vars: Record<string, unknown> }): boolean;
  /** group_by: puts a host in a group (created under `parents` when new); true when anything changed */
  addDynamicGroup?(host: string, group: string, parents: string[]): boolean;
}
