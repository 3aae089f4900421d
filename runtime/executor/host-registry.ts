/** The executor's per-host state, created on first use from the inventory (plays, hostvars, add_host). */
import type { RunContext } from './context';
import { HostState } from './host-state';

export function hostStateOf(ctx: RunContext, name: string): HostState {
  let host = ctx.hosts.get(name);
  if (!host) {
    host = new HostState(name, ctx.inventory.hostVars(name), ctx.inventory.groupNames(name));
    ctx.hosts.set(name, host);
  }
  return host;
}

/** after an in-memory inventory change: every known host sees its new groups and variables */
export function refreshHostStates(ctx: RunContext): void {
  for (const host of ctx.hosts.values()) {
    try {
      host.inventoryVars = ctx.inventory.hostVars(host.name);
      host.groupNames = ctx.inventory.groupNames(host.name);
    } catch {
      // a host the inventory no longer knows (never happens with add_host/group_by): keep what it had
    }
  }
}
