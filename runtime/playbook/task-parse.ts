/**
 * One task mapping → Task, normalising the ways Ansible lets you write the action (ModuleArgsParser):
 * `module: {args}`, `module: free form k=v`, `action: module args`, `action: {module: x, ...}`,
 * `local_action:`, FQCN and ansible.legacy names, and `args:` merged under the module's own arguments.
 */
import { isMap, isScalar, isSeq, type Pair, type YAMLMap } from 'yaml';
import { canonicalModuleName, lookupModule } from '../modules/catalog';
import { problem, type FileContext } from './context';
import { parseKeyValues } from './free-form';
import { followTaskImport } from './imports';
import { INCLUDE_KEYWORDS, isKeyword } from './keywords';
import type { Entry, Span, Task, TaskKind } from './model';
import { entriesOf, isTemplated, lineEnd, spanOf, typeName, valueNodeOf } from './yaml-nodes';

export interface TaskPlace {
  scope: 'task' | 'handler';
  parents: Task[];
  section?: Task['section'];
  role?: string;
}

const LOCALHOSTS = new Set(['localhost', '127.0.0.1', '::1']);

/** modules whose free-form text is a command line (parse_kv check_raw) */
const FREEFORM_ACTIONS = new Set(['command', 'shell', 'raw', 'script', 'win_command', 'win_shell']);

export function buildTaskList(node: unknown, ctx: FileContext, listName: string, place: TaskPlace, ownerSpan: Span): Task[] {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) {
    problem(ctx, spanOf(node as never, ownerSpan), 'tasks-not-list', `'${listName}' must be a list of tasks, but is a ${typeName(node)}`);
    return [];
  }
  const tasks: Task[] = [];
  for (const item of node.items) {
    const task = buildTask(item, ctx, place, spanOf(node, ownerSpan));
    if (task) tasks.push(task);
  }
  return tasks;
}

export function buildTask(node: unknown, ctx: FileContext, place: TaskPlace, listSpan: Span): Task | undefined {
  if (!isMap(node)) {
    const span = spanOf(node as never, listSpan);
    problem(ctx, span, 'task-not-mapping', `A task must be a mapping of keywords and one action, but this is a ${typeName(node)}`);
    return undefined;
  }
  const map = node as YAMLMap;
  const span = spanOf(map, listSpan);
  const headSpan = { start: span.start, end: lineEnd(ctx.file.text, span.start) };
  const { entries, pairs } = entriesOf(ctx.doc, map, ctx.file, ctx.problems);
  const isBlock = entries.some((e) => e.key === 'block' || e.key === 'rescue' || e.key === 'always');
  const task: Task = {
    kind: isBlock ? 'block' : place.scope === 'handler' ? 'handler' : 'task',
    file: ctx.file,
    span,
    headSpan,
    args: {},
    keywords: {},
    unknownKeys: [],
    parents: place.parents.length ? place.parents : undefined,
    section: place.section,
    role: place.role,
    isHandler: place.scope === 'handler' || undefined,
  };
  const name = entries.find((e) => e.key === 'name');
  if (name && typeof name.value === 'string') task.name = name.value;
  else if (name && name.value !== null) task.name = String(name.value);

  if (isBlock) return buildBlock(task, entries, pairs, ctx, place);

  const candidates: Entry[] = [];
  for (const e of entries) {
    if (isKeyword(e.key, place.scope) && e.key !== 'block' && e.key !== 'rescue' && e.key !== 'always') task.keywords[e.key] = e;
    else candidates.push(e);
  }
  if (task.keywords.delegate_to && typeof task.keywords.delegate_to.value === 'string' && LOCALHOSTS.has(task.keywords.delegate_to.value)) {
    task.delegatedToLocalhost = true;
  }
  resolveAction(task, candidates, ctx);
  if (task.module) task.kind = kindOf(task.module, task.kind);
  checkIncludeAttributes(task, ctx);
  followTaskImport(task, ctx, place);
  return task;
}

function buildBlock(task: Task, entries: Entry[], pairs: Map<string, Pair>, ctx: FileContext, place: TaskPlace): Task {
  for (const e of entries) {
    if (isKeyword(e.key, 'block')) task.keywords[e.key] = e;
    else task.unknownKeys.push(e);
  }
  const childPlace = (section: Task['section']): TaskPlace => ({ ...place, parents: [...place.parents, task], section });
  for (const section of ['block', 'rescue', 'always'] as const) {
    const pair = pairs.get(section);
    if (pair) task[section] = buildTaskList(pair.value, ctx, section, childPlace(section), spanOf(pair.key as never, task.span));
  }
  return task;
}

function kindOf(module: string, current: TaskKind): TaskKind {
  switch (module) {
    case 'import_tasks':
    case 'include_tasks':
    case 'import_role':
    case 'include_role':
    case 'meta':
      return module;
    case 'include':
      return 'include_tasks';
    default:
      return current;
  }
}

/**
 * Picks the action among the keys that are not keywords. Ansible treats every such key as an action
 * (`retry: 3` is "conflicting action statements: ansible.builtin.command, retry"); we report the same error
 * and, to keep analysing, take a key the catalog knows as the module and record the others as unknown keys.
 */
function resolveAction(task: Task, candidates: Entry[], ctx: FileContext): void {
  const action = task.keywords.action;
  const local = task.keywords.local_action;
  let chosen: { name: string; value: unknown; spanEntry: Entry; oldStyle: boolean } | undefined;
  if (action) chosen = { name: '', value: action.value, spanEntry: action, oldStyle: true };
  if (local) {
    if (action) problem(ctx, local.keySpan, 'action-and-local-action', 'action and local_action are mutually exclusive');
    else chosen = { name: '', value: local.value, spanEntry: local, oldStyle: true };
    task.delegatedToLocalhost = true;
  }
  let oldStyleName: string | undefined;
  if (chosen) {
    oldStyleName = oldStyleActionName(chosen.value);
    chosen.name = oldStyleName ?? '';
  }
  const actionCandidates = candidates.filter((c) => c.key !== '');
  if (chosen && actionCandidates.length > 0) {
    problem(ctx, task.headSpan, 'conflicting-action', `conflicting action statements: ${chosen.name || chosen.spanEntry.key}, ${actionCandidates[0].key}`);
    task.unknownKeys.push(...actionCandidates);
  } else if (!chosen && actionCandidates.length > 0) {
    if (actionCandidates.length > 1) {
      problem(ctx, task.headSpan, 'conflicting-action', `conflicting action statements: ${actionCandidates[0].key}, ${actionCandidates[1].key}`);
    }
    const known = actionCandidates.find((c) => lookupModule(c.key)) ?? actionCandidates[0];
    // the module's value is read by setArgs as YAML nodes: reading `known.value` here would convert it for nothing
    chosen = { name: known.key, value: undefined, spanEntry: known, oldStyle: false };
    task.unknownKeys.push(...actionCandidates.filter((c) => c !== known));
  }
  if (!chosen) {
    problem(ctx, task.headSpan, 'no-action', 'no module/action detected in task.');
    return;
  }
  if (chosen.oldStyle) {
    task.actionSpan = chosen.spanEntry.keySpan;
    normaliseOldStyle(task, chosen.spanEntry, ctx);
  } else {
    task.action = chosen.name;
    task.module = canonicalModuleName(chosen.name);
    task.actionSpan = chosen.spanEntry.keySpan;
    setArgs(task, chosen.spanEntry, ctx);
  }
  mergeArgsKeyword(task, ctx);
}

function oldStyleActionName(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim().split(/\s+/)[0] || undefined;
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof (value as Record<string, unknown>).module === 'string') {
    return ((value as Record<string, unknown>).module as string).trim().split(/\s+/)[0];
  }
  return undefined;
}

/** `action: command echo hi` / `action: {module: command, ...}` */
function normaliseOldStyle(task: Task, entry: Entry, ctx: FileContext): void {
  const value = entry.value;
  if (typeof value === 'string') {
    const m = /^\s*(\S+)\s*/.exec(value);
    if (!m) {
      problem(ctx, entry.valueSpan, 'no-action', 'no module/action detected in task.');
      return;
    }
    task.action = m[1];
    task.module = canonicalModuleName(m[1]);
    const rest = value.slice(m[0].length);
    const restOffset = scalarTextOffset(ctx, entry, m[0].length);
    applyFreeForm(task, rest, restOffset, entry);
    return;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const moduleValue = (value as Record<string, unknown>).module;
    if (typeof moduleValue !== 'string') {
      problem(ctx, entry.valueSpan, 'no-action', 'no module/action detected in task.');
      return;
    }
    const m = /^\s*(\S+)\s*/.exec(moduleValue)!;
    task.action = m[1];
    task.module = canonicalModuleName(m[1]);
    const node = valueNodeOf(entry);
    if (isMap(node)) {
      for (const e of entriesOf(ctx.doc, node, ctx.file, ctx.problems).entries) {
        if (e.key === 'module') {
          const rest = moduleValue.slice(m[0].length);
          if (rest.trim()) applyFreeForm(task, rest, undefined, e);
        } else task.args[e.key] = e;
      }
    }
    return;
  }
  problem(ctx, entry.valueSpan, 'no-action', `unexpected parameter type in action: ${typeof value}`);
}

/** arguments of `module: value` (new style) */
function setArgs(task: Task, entry: Entry, ctx: FileContext): void {
  // a mapping is walked as nodes (each argument keeps its own span) without converting it as a whole
  const node = valueNodeOf(entry);
  if (isMap(node)) {
    for (const e of entriesOf(ctx.doc, node, ctx.file, ctx.problems).entries) task.args[e.key] = e;
    return;
  }
  const value = entry.value;
  if (value === null || value === undefined) return;
  if (typeof value === 'string') {
    applyFreeForm(task, value, scalarTextOffset(ctx, entry, 0), entry);
    return;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    applyFreeForm(task, String(value), undefined, entry);
    return;
  }
  problem(ctx, entry.valueSpan, 'bad-args', `unexpected parameter type in action: ${Array.isArray(value) ? 'list' : typeof value}`);
}

/**
 * Free-form text → options and raw text. `textOffset` is the file offset of `text` when the scalar is written
 * as-is in the file (plain or simply quoted, single line), so each option gets its own span.
 */
function applyFreeForm(task: Task, text: string, textOffset: number | undefined, entry: Entry): void {
  const module = task.module ?? '';
  const checkRaw = FREEFORM_ACTIONS.has(module);
  const parsed = parseKeyValues(text, checkRaw);
  const at = (start: number, end: number): Span =>
    textOffset === undefined ? entry.valueSpan : { start: textOffset + start, end: textOffset + end };
  for (const kv of parsed.options) {
    task.args[kv.key] = {
      key: kv.key,
      value: kv.value,
      keySpan: at(kv.keyStart, kv.keyStart + kv.key.length),
      valueSpan: at(kv.valueStart, kv.valueEnd),
      templated: isTemplated(kv.value),
    };
  }
  if (parsed.raw) {
    const rawSpan = at(parsed.raw.start, parsed.raw.end);
    task.freeForm = { key: '_raw_params', value: parsed.raw.text, keySpan: entry.keySpan, valueSpan: rawSpan, templated: isTemplated(parsed.raw.text) };
  }
}

/** `args:` keyword: merged under the module's own arguments (the module's win, as in ModuleArgsParser) */
function mergeArgsKeyword(task: Task, ctx: FileContext): void {
  const argsEntry = task.keywords.args;
  if (!argsEntry) return;
  const node = valueNodeOf(argsEntry);
  if (isMap(node)) {
    for (const e of entriesOf(ctx.doc, node, ctx.file, ctx.problems).entries) if (!(e.key in task.args)) task.args[e.key] = e;
  } else if (typeof argsEntry.value === 'string' && !argsEntry.templated) {
    problem(ctx, argsEntry.valueSpan, 'bad-args', "Complex args containing variables cannot use bare variables (without Jinja2 delimiters), and must use the full variable style ('{{var_name}}')");
  } else if (argsEntry.value !== null && typeof argsEntry.value !== 'string') {
    problem(ctx, argsEntry.valueSpan, 'bad-args', 'Complex args must be a dictionary or variable string ("{{var}}").');
  }
}

/**
 * include_tasks/include_role accept only a few keywords: anything else is a parse error in Ansible
 * (`'async' is not a valid attribute for a TaskInclude`, case 13). import_tasks accepts and ignores them (case 14).
 */
function checkIncludeAttributes(task: Task, ctx: FileContext): void {
  // the legacy `include` predates the check and accepts every task keyword
  if ((task.kind !== 'include_tasks' && task.kind !== 'include_role') || task.module === 'include') return;
  const className = task.kind === 'include_tasks' ? 'TaskInclude' : 'IncludeRole';
  for (const e of Object.values(task.keywords)) {
    if (!INCLUDE_KEYWORDS.has(e.key) && !e.key.startsWith('with_')) {
      problem(ctx, e.keySpan, 'include-invalid-attribute', `'${e.key}' is not a valid attribute for a ${className}`);
    }
  }
}

/**
 * File offset of character `skip` of a string scalar's value when the value appears verbatim in the file
 * (plain or quoted without escapes, on one line); undefined otherwise.
 */
function scalarTextOffset(ctx: FileContext, entry: Entry, skip: number): number | undefined {
  if (typeof entry.value !== 'string') return undefined;
  const raw = ctx.file.text.slice(entry.valueSpan.start, entry.valueSpan.end);
  if (raw === entry.value) return entry.valueSpan.start + skip;
  if (raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw.slice(1, -1) === entry.value) return entry.valueSpan.start + 1 + skip;
  return undefined;
}

