/**
 * Applies what add_host / group_by returned to the in-memory inventory, as ansible-core's strategy does when it
 * processes their results: `changed` becomes "the inventory changed", and later tasks and plays see the new
 * hosts, groups and variables (`groups`, `group_names`, `hostvars`, play host patterns).
 */
import type { TaskResult } from '../events/types';
import type { RunContext } from './context';
import type { HostState } from './host-state';
import { refreshHostStates } from './host-registry';

export function applyInventoryChange(ctx: RunContext, host: HostState, result: TaskResult): void {
  if (result.failed) return;
  const add = result.add_host as { host_name: string; groups: string[]; host_vars: Record<string, unknown> } | undefined;
  if (add && typeof add === 'object') {
    if (!ctx.inventory.addDynamicHost) throw new Error('this inventory cannot be changed at run time (add_host)');
    result.changed = ctx.inventory.addDynamicHost(add);
  } else if (typeof result.add_group === 'string') {
    if (!ctx.inventory.addDynamicGroup) throw new Error('this inventory cannot be changed at run time (group_by)');
    result.changed = ctx.inventory.addDynamicGroup(host.name, result.add_group, (result.parent_groups as string[] | undefined) ?? ['all']);
  } else return;
  if (result.changed) refreshHostStates(ctx);
}
