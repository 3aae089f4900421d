/**
 * Following static references: import_tasks/include_tasks files, roles (play `roles:`, import_role,
 * include_role) and import_playbook. Only literal paths are followed (a templated path is known at run time
 * only); paths are relative to the including file, then the role, then the playbook directory, as Ansible
 * searches them. A file already being parsed higher up the chain is a cycle and is not entered again.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { problem, type FileContext } from './context';
import type { Entry, Task } from './model';
import { createSourceFile } from './source';
import { buildTaskList, type TaskPlace } from './task-parse';
import { parseYaml, toJS } from './yaml-nodes';

const DEFAULT_MAX_DEPTH = 32;

export function targetOf(task: Task, argName: 'file' | 'name'): Entry<string> | undefined {
  const arg = task.args[argName];
  if (arg && typeof arg.value === 'string') return arg as Entry<string>;
  if (argName === 'file' && task.freeForm) return task.freeForm;
  return undefined;
}

/** tries each candidate path; the first that reads wins */
function readFirst(ctx: FileContext, candidates: string[]): { path: string; text: string } | undefined {
  const read = ctx.options.readFile;
  if (!read) return undefined;
  const seen = new Set<string>();
  for (const c of candidates) {
    const path = resolve(c);
    if (seen.has(path)) continue;
    seen.add(path);
    let text: string | undefined;
    try {
      text = read(path);
    } catch {
      text = undefined;
    }
    if (text !== undefined) return { path, text };
  }
  return undefined;
}

function tooDeep(ctx: FileContext): boolean {
  return ctx.stack.length > (ctx.options.maxDepth ?? DEFAULT_MAX_DEPTH);
}

/** parses a task file in the context of the file that refers to it */
export function loadTaskFile(ctx: FileContext, path: string, text: string, place: TaskPlace, role?: FileContext['role']): Task[] {
  const file = createSourceFile(path, text);
  const doc = parseYaml(file, ctx.problems);
  const child: FileContext = { ...ctx, file, doc, stack: [...ctx.stack, path], role: role ?? ctx.role };
  return buildTaskList(doc.contents, child, 'tasks', place, { start: 0, end: 0 });
}

export function followTaskImport(task: Task, ctx: FileContext, place: TaskPlace): void {
  if (task.kind === 'import_tasks' || task.kind === 'include_tasks') followTaskFile(task, ctx, place);
  else if (task.kind === 'import_role' || task.kind === 'include_role') followRoleTask(task, ctx, place);
}

function followTaskFile(task: Task, ctx: FileContext, place: TaskPlace): void {
  const target = targetOf(task, 'file');
  if (!target) return;
  task.target = target;
  if (target.templated || !ctx.options.readFile) return;
  const rel = target.value.trim();
  const candidates = isAbsolute(rel)
    ? [rel]
    : [join(dirname(ctx.file.path), rel), ...(ctx.role ? [join(ctx.role.dir, 'tasks', rel)] : []), join(ctx.playbookDir, rel)];
  const found = readFirst(ctx, candidates);
  if (!found) {
    problem(ctx, target.valueSpan, 'import-not-found', `Could not find or access '${rel}'`, task.kind === 'import_tasks' ? 'error' : 'warning');
    return;
  }
  if (ctx.stack.includes(found.path) || tooDeep(ctx)) {
    problem(ctx, target.valueSpan, 'import-cycle', `'${rel}' includes itself (through ${ctx.stack.length} file(s)); not followed`, 'warning');
    return;
  }
  task.resolvedPath = found.path;
  task.imported = loadTaskFile(ctx, found.path, found.text, { ...place, parents: [...place.parents, task], section: undefined });
}

function followRoleTask(task: Task, ctx: FileContext, place: TaskPlace): void {
  const target = targetOf(task, 'name');
  if (!target) return;
  task.target = target;
  task.role = target.value;
  const tasksFrom = task.args.tasks_from;
  const from = tasksFrom && typeof tasksFrom.value === 'string' && !tasksFrom.templated ? tasksFrom.value : 'main';
  if (target.templated) return;
  const loaded = loadRole(ctx, target, from, { ...place, parents: [...place.parents, task], section: undefined }, task.kind === 'import_role' ? 'error' : 'warning');
  if (loaded) {
    task.resolvedPath = loaded.path;
    task.imported = loaded.tasks;
    task.handlers = loaded.handlers;
    task.roleVars = loaded.roleVars;
    task.roleDefaults = loaded.roleDefaults;
  }
}

/** role directories Ansible looks in, relative to the playbook */
function roleDirs(ctx: FileContext, name: string): string[] {
  if (name.includes('/') || isAbsolute(name)) return [resolve(ctx.playbookDir, name)];
  const dirs = [join(ctx.playbookDir, 'roles', name), join(ctx.playbookDir, name)];
  if (ctx.role) dirs.push(join(dirname(ctx.role.dir), name));
  return dirs;
}

function fileCandidates(dir: string, base: string): string[] {
  return /\.ya?ml$/.test(base) ? [join(dir, base)] : [join(dir, `${base}.yml`), join(dir, `${base}.yaml`), join(dir, base)];
}

export function loadRole(
  ctx: FileContext,
  target: Entry<string>,
  tasksFrom: string,
  place: TaskPlace,
  severity: 'error' | 'warning',
): { path: string; tasks: Task[]; handlers: Task[]; roleVars?: Record<string, unknown>; roleDefaults?: Record<string, unknown> } | undefined {
  if (!ctx.options.readFile) return undefined;
  const name = target.value.trim();
  for (const dir of roleDirs(ctx, name)) {
    const found = readFirst(ctx, fileCandidates(join(dir, 'tasks'), tasksFrom));
    const handlersFound = readFirst(ctx, fileCandidates(join(dir, 'handlers'), 'main'));
    if (!found && !handlersFound) continue;
    const role = { name, dir: resolve(dir) };
    if ((found && ctx.stack.includes(found.path)) || tooDeep(ctx)) {
      problem(ctx, target.valueSpan, 'import-cycle', `role '${name}' includes itself; not followed`, 'warning');
      return undefined;
    }
    const rolePlace = { ...place, role: name };
    const roleVars = readVarsFile(ctx, join(dir, 'vars'));
    const roleDefaults = readVarsFile(ctx, join(dir, 'defaults'));
    const tasks = found ? loadTaskFile(ctx, found.path, found.text, rolePlace, role) : [];
    const handlers = handlersFound ? loadTaskFile(ctx, handlersFound.path, handlersFound.text, { ...rolePlace, scope: 'handler' }, role) : [];
    return { path: found?.path ?? handlersFound!.path, tasks, handlers, roleVars, roleDefaults };
  }
  problem(ctx, target.valueSpan, 'role-not-found', `the role '${name}' was not found beside the playbook (roles/${name}/tasks/${tasksFrom}.yml)`, severity);
  return undefined;
}

/** a role's vars/main.yml or defaults/main.yml as plain values (problems in it are reported on that file) */
function readVarsFile(ctx: FileContext, dir: string): Record<string, unknown> | undefined {
  const found = readFirst(ctx, fileCandidates(dir, 'main'));
  if (!found) return undefined;
  const file = createSourceFile(found.path, found.text);
  const doc = parseYaml(file, ctx.problems);
  const value = toJS(doc, doc.contents);
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
