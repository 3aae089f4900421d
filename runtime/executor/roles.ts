/**
 * A role's runtime data: defaults/main.yml (lowest precedence), vars/main.yml (above play vars), and the
 * parameters written on the role entry (`- role: x` with `var: 1`, or include_role `vars:`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Task } from '../playbook/model';
import type { RunContext } from './context';
import { mapping, type RoleRun, type TaskFrame } from './frame';

const ROLE_ENTRY_KEYS = new Set(['role', 'name', 'tasks_from', 'vars_from', 'defaults_from', 'handlers_from', 'public', 'allow_duplicates', 'apply', 'rolespec_validate']);

export function loadRole(ctx: RunContext, task: Task, frame: TaskFrame): RoleRun {
  const name = String(task.role ?? task.target?.value ?? task.args.name?.value ?? task.args.role?.value ?? '');
  const dir = roleDir(ctx, task, name);
  if (!dir) throw new Error(`the role '${name}' was not found beside the playbook (${join(ctx.playbookDir, 'roles', name)})`);
  const params: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(task.args)) if (!ROLE_ENTRY_KEYS.has(key)) params[key] = entry.value;
  Object.assign(params, mapping(task.keywords.vars?.value));
  const defaultsFrom = String(task.args.defaults_from?.value ?? 'main');
  const varsFrom = String(task.args.vars_from?.value ?? 'main');
  return {
    name,
    dir,
    defaults: { ...(frame.role?.defaults ?? {}), ...readVarsFile(join(dir, 'defaults'), defaultsFrom) },
    vars: { ...(frame.role?.vars ?? {}), ...readVarsFile(join(dir, 'vars'), varsFrom) },
    params,
  };
}

function roleDir(ctx: RunContext, task: Task, name: string): string | undefined {
  if (task.resolvedPath) return dirname(dirname(task.resolvedPath));
  const candidates = [join(ctx.playbookDir, 'roles', name), join(ctx.playbookDir, name), name];
  return candidates.find((c) => existsSync(join(c, 'tasks')) || existsSync(join(c, 'handlers')) || existsSync(join(c, 'defaults')));
}

function readVarsFile(dir: string, base: string): Record<string, unknown> {
  for (const candidate of [join(dir, `${base}.yml`), join(dir, `${base}.yaml`), join(dir, base)]) {
    if (!existsSync(candidate)) continue;
    const value = parseYaml(readFileSync(candidate, 'utf8')) as unknown;
    if (value === null || value === undefined) return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${candidate}: role variables must be a mapping`);
    return value as Record<string, unknown>;
  }
  return {};
}
