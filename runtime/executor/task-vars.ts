/**
 * The variables a task sees on one host, in Ansible's precedence order (low → high):
 * connection keywords < role defaults < inventory (group < host) < facts < play vars < vars_files < role vars
 * < block/task vars < include params < set_fact/register < role params < extra vars, plus magic variables.
 */
import { dirname } from 'node:path';
import type { Task } from '../playbook/model';
import { factVars } from '../vars/facts-vars';
import { lazyVars, type VarLayer } from '../vars/lazy';
import { magicVars } from '../vars/magic';
import type { RunContext } from './context';
import { inheritedVars, keyword, type TaskFrame } from './frame';
import type { HostState } from './host-state';
import { hostStateOf } from './host-registry';

/** play/block/task keywords that are connection settings, as the vars they become */
function keywordConnectionVars(task: Task | undefined, frame: TaskFrame): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const get = (name: string) => (task ? keyword(task, frame, name) : frame.run.play.keywords[name]);
  const pairs: [string, string][] = [
    ['connection', 'ansible_connection'],
    ['remote_user', 'ansible_user'],
    ['port', 'ansible_port'],
    ['become', 'ansible_become'],
    ['become_user', 'ansible_become_user'],
    ['become_method', 'ansible_become_method'],
  ];
  for (const [kw, name] of pairs) {
    const entry = get(kw);
    if (entry && entry.value !== null && entry.value !== undefined) out[name] = entry.value;
  }
  return out;
}

export function hostvarsOf(ctx: RunContext): Record<string, unknown> {
  return new Proxy({} as Record<string, unknown>, {
    get(_target, key) {
      if (typeof key !== 'string') return undefined;
      let host = ctx.hosts.get(key);
      if (!host) {
        // an inventory host no play has reached yet (or one add_host created) has hostvars too
        try {
          host = hostStateOf(ctx, key);
        } catch {
          return undefined;
        }
      }
      return lazyVars(
        [
          { values: host.inventoryVars },
          { values: factVars(host.facts), data: true },
          { values: host.hostVars, data: true },
          { values: { inventory_hostname: host.name, group_names: host.groupNames }, data: true },
        ],
        (value, vars) => ctx.templar.render(value, vars),
      );
    },
    has(_target, key) {
      return typeof key === 'string' && ctx.hosts.has(key);
    },
    ownKeys() {
      return [...ctx.hosts.keys()];
    },
    getOwnPropertyDescriptor(_target, key) {
      return typeof key === 'string' && ctx.hosts.has(key) ? { enumerable: true, configurable: true } : undefined;
    },
  });
}

export function taskVars(ctx: RunContext, host: HostState, task: Task | undefined, frame: TaskFrame, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const run = frame.run;
  const active = run.allHosts.filter((h) => !h.failed && !h.unreachable).map((h) => h.name);
  const layers: VarLayer[] = [
    { values: keywordConnectionVars(task, frame) },
    { values: frame.role?.defaults ?? {} },
    { values: host.inventoryVars },
    { values: factVars(host.facts), data: true },
    { values: run.vars },
    { values: run.varsFilesVars },
    { values: frame.role?.vars ?? {} },
    { values: task ? inheritedVars(task, frame) : {} },
    { values: frame.includeVars ?? {} },
    { values: host.hostVars, data: true },
    { values: frame.role?.params ?? {} },
    { values: ctx.extraVars },
    {
      values: magicVars({
        host: host.name,
        groupNames: host.groupNames,
        groups: ctx.inventory.groups(),
        playHosts: active,
        playBatch: run.batch.filter((h) => !h.failed && !h.unreachable).map((h) => h.name),
        playHostsAll: run.allHosts.map((h) => h.name),
        playbookDir: ctx.playbookDir,
        inventoryDir: ctx.options.inventories[0] ? dirname(ctx.options.inventories[0]) : undefined,
        checkMode: ctx.options.check,
        diffMode: ctx.options.diff,
        coreVersion: ctx.options.coreVersion,
        hostvars: hostvarsOf(ctx),
        playName: run.name,
        runTags: ctx.options.tags,
        skipTags: ctx.options.skipTags,
        role: frame.role,
      }),
      data: true,
    },
    { values: extra, data: true },
  ];
  return lazyVars(layers, (value, vars) => ctx.templar.render(value, vars));
}
