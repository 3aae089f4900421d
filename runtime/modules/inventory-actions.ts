/**
 * add_host and group_by, as ansible-core's action plugins: they only describe the inventory change
 * (`add_host: {host_name, groups, host_vars}`, `add_group` + `parent_groups`); the executor applies it to the
 * in-memory inventory and sets `changed` from what actually changed (runtime/executor/dynamic-inventory.ts).
 */
import type { TaskResult } from '../events/types';
import { fail } from './common';
import type { ModuleImplementation } from './types';

/** `name:port` / `[v6]:port` → the name and the port Ansible turns into ansible_ssh_port */
function splitAddress(text: string): { name: string; port?: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text);
  return m ? { name: m[1], port: Number(m[2]) } : { name: text };
}

export const addHostModule: ModuleImplementation = {
  name: 'add_host',
  async run(context): Promise<TaskResult> {
    const args: Record<string, unknown> = { ...context.args };
    const raw = args._raw_params ?? {};
    delete args._raw_params;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return fail(`Invalid raw parameters passed, requires a dictonary/mapping got a  ${Array.isArray(raw) ? "<class 'list'>" : "<class 'str'>"}`);
    }
    Object.assign(args, { ...(raw as Record<string, unknown>), ...args });
    const given = args.name ?? args.hostname ?? args.host;
    if (given === undefined || given === null) return fail('name, host or hostname needs to be provided');
    const { name, port } = splitAddress(String(given));
    if (port !== undefined) args.ansible_ssh_port = port;
    const groupsArg = args.groupname ?? args.groups ?? args.group ?? '';
    let list: unknown[];
    if (Array.isArray(groupsArg)) list = groupsArg;
    else if (typeof groupsArg === 'string') list = groupsArg === '' ? [] : groupsArg.split(',');
    else return fail('Groups must be specified as a list.');
    const groups: string[] = [];
    for (const group of list) if (!groups.includes(String(group).trim())) groups.push(String(group).trim());
    const hostVars: Record<string, unknown> = {};
    // `host` and `group` stay host variables, exactly as in ansible-core
    for (const [key, value] of Object.entries(args)) if (!['name', 'hostname', 'groupname', 'groups'].includes(key)) hostVars[key] = value;
    return { changed: false, add_host: { host_name: name, groups, host_vars: hostVars } };
  },
};

export const groupByModule: ModuleImplementation = {
  name: 'group_by',
  async run(context): Promise<TaskResult> {
    if (!('key' in context.args)) return { failed: true, msg: "the 'key' param is required when using group_by" };
    const key = String(context.args.key);
    const parentsArg = context.args.parents ?? ['all'];
    const parents = (Array.isArray(parentsArg) ? parentsArg : [parentsArg]).map((p) => String(p).replaceAll(' ', '-'));
    return { changed: false, add_group: key.replaceAll(' ', '-'), parent_groups: parents };
  },
};
