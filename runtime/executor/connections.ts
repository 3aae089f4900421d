/**
 * Which connection a task uses on a host: the host's own (ssh from its vars, or local), or the delegate's
 * when `delegate_to` is set. localhost not in the inventory is the implicit local host, as in Ansible.
 */
import { connectionFromVars } from '../connection/from-vars';
import type { Connection } from '../connection/types';
import type { RunContext } from './context';
import { lazyVars } from '../vars/lazy';

export interface Target {
  connection: Connection;
  /** `localhost`, `h2(127.0.0.2)`: how the default callback shows a delegate */
  display?: string;
  /** a delegate's own ansible_async_dir: shell options come from the delegated host's vars, so its jobs' status files live there */
  asyncDir?: string;
}

const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

export function resolveConnection(ctx: RunContext, hostName: string, vars: Record<string, unknown>, delegated: boolean): Target {
  if (!delegated) return { connection: connectionFromVars(hostName, connectionVars(vars), ctx.pool) };
  const known = ctx.hosts.get(hostName);
  const inventoryVars = known?.inventoryVars ?? (ctx.inventory.selectHosts(hostName).includes(hostName) ? ctx.inventory.hostVars(hostName) : undefined);
  if (!inventoryVars && LOCAL_NAMES.has(hostName)) return { connection: ctx.localConnection(), display: hostName, ...implicitLocalAsyncDir(ctx, hostName) };
  const delegateVars = inventoryVars
    ? lazyVars([{ values: inventoryVars }], (value, v) => ctx.templar.render(value, v))
    : ({ ansible_host: hostName } as Record<string, unknown>);
  const address = delegateVars.ansible_host;
  const display = address !== undefined && String(address) !== hostName ? `${hostName}(${String(address)})` : hostName;
  const asyncDir = inventoryVars && delegateVars.ansible_async_dir !== undefined && delegateVars.ansible_async_dir !== null ? String(delegateVars.ansible_async_dir) : undefined;
  return { connection: connectionFromVars(hostName, connectionVars(delegateVars), ctx.pool), display, ...(asyncDir ? { asyncDir } : {}) };
}

/** the implicit localhost's ansible_async_dir (host_vars/localhost.yml), when it has one */
function implicitLocalAsyncDir(ctx: RunContext, hostName: string): { asyncDir?: string } {
  try {
    const value = ctx.inventory.hostVars(hostName).ansible_async_dir;
    return value === undefined || value === null ? {} : { asyncDir: String(ctx.templar.render(value, {})) };
  } catch {
    return {};
  }
}

const CONNECTION_VARS = [
  'ansible_connection', 'ansible_host', 'ansible_ssh_host', 'ansible_port', 'ansible_ssh_port', 'ansible_user', 'ansible_ssh_user',
  'ansible_ssh_private_key_file', 'ansible_private_key_file', 'ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password', 'ansible_timeout', 'ansible_ssh_timeout',
];

/** reads only the connection variables (rendering them), so unrelated broken templates do not matter */
function connectionVars(vars: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of CONNECTION_VARS) {
    const value = vars[key];
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out;
}
