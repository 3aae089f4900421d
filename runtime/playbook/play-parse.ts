/** Plays: keywords, vars, the task lists, roles and `import_playbook` entries. */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, type Pair, type YAMLMap } from 'yaml';
import { problem, type FileContext } from './context';
import { loadRole } from './imports';
import { isKeyword } from './keywords';
import type { Entry, Play, Span, Task } from './model';
import { createSourceFile } from './source';
import { buildTaskList } from './task-parse';
import { entriesOf, isTemplated, lineEnd, parseYaml, recordOf, spanOf, toJS, typeName } from './yaml-nodes';

const IMPORT_PLAYBOOK_KEYS = new Set(['import_playbook', 'ansible.builtin.import_playbook', 'ansible.legacy.import_playbook']);
const IMPORT_PLAYBOOK_KEYWORDS = new Set(['name', 'vars', 'tags', 'when']);

export function buildPlays(root: unknown, ctx: FileContext): Play[] {
  if (root === null || root === undefined || (isScalar(root) && root.value === null)) return [];
  if (!isSeq(root)) {
    problem(ctx, spanOf(root as never, { start: 0, end: 0 }), 'playbook-not-list', `A playbook must be a list of plays, got a ${typeName(root)} instead`);
    return [];
  }
  const plays: Play[] = [];
  for (const item of root.items) {
    const play = buildPlay(item, ctx, spanOf(root, { start: 0, end: 0 }));
    if (play) plays.push(play);
  }
  return plays;
}

function buildPlay(node: unknown, ctx: FileContext, listSpan: Span): Play | undefined {
  if (!isMap(node)) {
    problem(ctx, spanOf(node as never, listSpan), 'play-not-mapping', `A play must be a mapping of keywords, but this is a ${typeName(node)}`);
    return undefined;
  }
  const map = node as YAMLMap;
  const span = spanOf(map, listSpan);
  const { entries, pairs } = entriesOf(ctx.doc, map, ctx.file, ctx.problems);
  const play: Play = {
    file: ctx.file,
    span,
    headSpan: { start: span.start, end: lineEnd(ctx.file.text, span.start) },
    keywords: {},
    unknownKeys: [],
    vars: {},
    preTasks: [],
    roles: [],
    tasks: [],
    postTasks: [],
    handlers: [],
  };
  const name = entries.find((e) => e.key === 'name');
  if (name && name.value !== null && name.value !== undefined) play.name = String(name.value);

  const importEntry = entries.find((e) => IMPORT_PLAYBOOK_KEYS.has(e.key));
  if (importEntry) {
    for (const e of entries) {
      if (e === importEntry) continue;
      if (IMPORT_PLAYBOOK_KEYWORDS.has(e.key)) play.keywords[e.key] = e;
      else play.unknownKeys.push(e);
    }
    if (pairs.get('vars')) play.vars = recordOf(ctx.doc, pairs.get('vars')!.value, ctx.file, ctx.problems);
    followPlaybookImport(play, importEntry, ctx);
    return play;
  }

  for (const e of entries) {
    if (isKeyword(e.key, 'play')) play.keywords[e.key] = e;
    else play.unknownKeys.push(e);
  }
  play.hosts = play.keywords.hosts;
  if (!play.hosts) problem(ctx, play.headSpan, 'play-no-hosts', "the field 'hosts' is required but was not set");
  const varsPair = pairs.get('vars');
  if (varsPair) play.vars = recordOf(ctx.doc, varsPair.value, ctx.file, ctx.problems);

  play.varsFiles = readVarsFiles(play, ctx);

  const list = (key: string, scope: 'task' | 'handler'): Task[] => {
    const pair = pairs.get(key);
    return pair ? buildTaskList(pair.value, ctx, key, { scope, parents: [] }, spanOf(pair.key as never, span)) : [];
  };
  play.preTasks = list('pre_tasks', 'task');
  const rolesPair = pairs.get('roles');
  if (rolesPair) play.roles = buildRoles(rolesPair, ctx, span);
  play.tasks = list('tasks', 'task');
  play.postTasks = list('post_tasks', 'task');
  play.handlers = list('handlers', 'handler');
  return play;
}

/** `roles:` entries: `- name`, `- role: name`, `- { role: name, vars: {...}, param: value }` */
function buildRoles(pair: Pair, ctx: FileContext, playSpan: Span): Task[] {
  const node = pair.value;
  if (node === null || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) {
    problem(ctx, spanOf(node as never, playSpan), 'tasks-not-list', `'roles' must be a list of roles, but is a ${typeName(node)}`);
    return [];
  }
  const roles: Task[] = [];
  for (const item of node.items) {
    const itemSpan = spanOf(item as never, playSpan);
    const role: Task = {
      kind: 'role',
      file: ctx.file,
      span: itemSpan,
      headSpan: { start: itemSpan.start, end: lineEnd(ctx.file.text, itemSpan.start) },
      args: {},
      keywords: {},
      unknownKeys: [],
    };
    if (isScalar(item)) {
      const value = item.value === null ? '' : String(item.value);
      role.target = { key: 'role', value, keySpan: itemSpan, valueSpan: itemSpan, templated: isTemplated(value) };
    } else if (isMap(item)) {
      for (const e of entriesOf(ctx.doc, item, ctx.file, ctx.problems).entries) {
        if ((e.key === 'role' || e.key === 'name') && !role.target && typeof e.value === 'string') role.target = e as Entry<string>;
        else if (isKeyword(e.key, 'role')) role.keywords[e.key] = e;
        // any other key is a role parameter (a variable for the role), not a mistake
        else role.args[e.key] = e;
      }
    } else {
      problem(ctx, itemSpan, 'task-not-mapping', `A role entry must be a name or a mapping, but this is a ${typeName(item)}`);
      continue;
    }
    if (!role.target || !role.target.value) {
      problem(ctx, itemSpan, 'no-action', 'role definitions must contain a role name');
    } else {
      role.name = role.target.value;
      role.role = role.target.value;
      if (!role.target.templated) {
        const loaded = loadRole(ctx, role.target, 'main', { scope: 'task', parents: [role] }, 'error');
        if (loaded) {
          role.resolvedPath = loaded.path;
          role.imported = loaded.tasks;
          role.handlers = loaded.handlers;
          role.roleVars = loaded.roleVars;
          role.roleDefaults = loaded.roleDefaults;
        }
      }
    }
    roles.push(role);
  }
  return roles;
}

function followPlaybookImport(play: Play, entry: Entry, ctx: FileContext): void {
  const path: Entry<string> =
    typeof entry.value === 'string' ? (entry as Entry<string>) : { ...entry, value: String(entry.value ?? ''), templated: false };
  play.importPlaybook = { path, plays: [] };
  if (path.templated || !ctx.options.readFile || !path.value.trim()) return;
  const rel = path.value.trim();
  const full = resolve(isAbsolute(rel) ? rel : join(dirname(ctx.file.path), rel));
  if (ctx.stack.includes(full) || ctx.stack.length > (ctx.options.maxDepth ?? 32)) {
    problem(ctx, path.valueSpan, 'import-cycle', `'${rel}' imports itself; not followed`, 'warning');
    return;
  }
  let text: string | undefined;
  try {
    text = ctx.options.readFile(full);
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    problem(ctx, path.valueSpan, 'import-not-found', `Could not find or access '${rel}'`);
    return;
  }
  const file = createSourceFile(full, text);
  const doc = parseYaml(file, ctx.problems);
  const child: FileContext = { ...ctx, file, doc, stack: [...ctx.stack, full], playbookDir: dirname(full), role: undefined };
  play.importPlaybook.resolvedPath = full;
  play.importPlaybook.plays = buildPlays(doc.contents, child);
}


/**
 * `vars_files` with literal paths (relative to the playbook), read for budget variables. A templated path or
 * a list entry (first found) is skipped; a missing file is Ansible's run-time error, reported here too.
 */
function readVarsFiles(play: Play, ctx: FileContext): Record<string, unknown> | undefined {
  const entry = play.keywords.vars_files;
  const read = ctx.options.readFile;
  if (!entry || !read) return undefined;
  const paths = Array.isArray(entry.value) ? entry.value : [entry.value];
  let merged: Record<string, unknown> | undefined;
  for (const p of paths) {
    if (typeof p !== 'string' || isTemplated(p)) continue;
    const full = resolve(isAbsolute(p) ? p : join(dirname(ctx.file.path), p));
    let text: string | undefined;
    try {
      text = read(full);
    } catch {
      text = undefined;
    }
    if (text === undefined) {
      problem(ctx, entry.valueSpan, 'import-not-found', `vars file ${p} was not found`, 'warning');
      continue;
    }
    const file = createSourceFile(full, text);
    const doc = parseYaml(file, ctx.problems);
    const value = toJS(doc, doc.contents);
    if (value && typeof value === 'object' && !Array.isArray(value)) merged = { ...(merged ?? {}), ...(value as Record<string, unknown>) };
  }
  return merged;
}
