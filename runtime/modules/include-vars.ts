/**
 * include_vars, as ansible-core 2.14's action: one YAML/JSON file (role vars/ first), or every file of a
 * directory (`dir:`, walked in sorted order, `depth`, `files_matching`, `ignore_files`, `extensions`,
 * `ignore_unknown_extensions`), merged in order into the host's variables, optionally under `name`.
 * A directory failure is reported under `message` (not `msg`), as Ansible does.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join } from 'node:path';
import type { TaskResult } from '../events/types';
import { loadYaml } from '../inventory/yaml-load';
import { fail, str } from './common';
import type { ModuleContext, ModuleImplementation } from './types';

const DIR_ARGS = ['dir', 'depth', 'files_matching', 'ignore_files', 'extensions', 'ignore_unknown_extensions'];
const FILE_ARGS = ['file', '_raw_params'];
const ANY_ARGS = ['name', 'hash_behaviour'];

class IncludeVarsError extends Error {}

/** Python's `re` syntax where it differs from JS in what these options use: named groups */
function pythonRegex(pattern: string): RegExp {
  try {
    return new RegExp(pattern.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'));
  } catch {
    throw new IncludeVarsError(`Invalid regular expression: ${pattern}`);
  }
}

interface Loaded {
  failed: boolean;
  message: string;
  values: Record<string, unknown>;
}

function loadFile(path: string, included: string[], extensions?: string[]): Loaded {
  if (extensions && !extensions.includes(extname(path).slice(1))) {
    return { failed: true, message: `${path} does not have a valid extension: ${extensions.join(', ')}`, values: {} };
  }
  const { doc, js } = loadYaml(readFileSync(path, 'utf8'), path);
  const value = js(doc.contents) ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) return { failed: true, message: `${path} must be stored as a dictionary/hash`, values: {} };
  included.push(path);
  return { failed: false, message: '', values: value as Record<string, unknown> };
}

/** os.walk top-down, sorted by directory path; `depth` counts directories visited in that order (as Ansible does) */
function walkSorted(root: string): { dir: string; files: string[] }[] {
  const out: { dir: string; files: string[] }[] = [];
  const visit = (dir: string) => {
    const files: string[] = [];
    const subdirs: string[] = [];
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) subdirs.push(entry.name);
      else if (entry.isSymbolicLink() && existsSync(join(dir, entry.name)) && statSync(join(dir, entry.name)).isDirectory()) continue;
      else files.push(entry.name);
    }
    out.push({ dir, files: files.sort() });
    for (const sub of subdirs) visit(join(dir, sub));
  };
  visit(root);
  return out.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

function dirRoot(context: ModuleContext, dir: string): string {
  const roleDir = context.roleDir;
  if (roleDir) {
    if (dir.split('/')[0] === 'vars') return existsSync(join(roleDir, dir)) ? join(roleDir, dir) : dir;
    return isAbsolute(dir) ? dir : join(roleDir, 'vars', dir);
  }
  return isAbsolute(dir) ? dir : join(dirname(context.task.file.path), dir);
}

function includeDir(context: ModuleContext, included: string[]): Loaded {
  const a = context.args;
  const source = dirRoot(context, String(a.dir));
  if (!existsSync(source)) return { failed: true, message: `${source} directory does not exist`, values: {} };
  if (!statSync(source).isDirectory()) return { failed: true, message: `${source} is not a directory`, values: {} };
  const depth = Number(a.depth ?? 0) || 0;
  const matcher = a.files_matching ? pythonRegex(String(a.files_matching)) : undefined;
  let ignore = a.ignore_files ?? [];
  if (typeof ignore === 'string') ignore = ignore.split(/\s+/).filter(Boolean);
  if (!Array.isArray(ignore)) return { failed: true, message: `${JSON.stringify(ignore)} must be a list`, values: {} };
  const ignorePatterns = (ignore as unknown[]).map((p) => pythonRegex(`${String(p)}$`));
  let extensions: unknown = a.extensions ?? ['yaml', 'yml', 'json'];
  // a string is turned into a list of its characters, exactly like Ansible's list(str)
  if (typeof extensions === 'string') extensions = [...extensions];
  if (!Array.isArray(extensions)) throw new IncludeVarsError('Invalid type for "extensions" option, it must be a list');
  const validExtensions = extensions.map(String);
  const ignoreUnknown = a.ignore_unknown_extensions === true || ['yes', 'true', 'on', '1'].includes(String(a.ignore_unknown_extensions).toLowerCase());
  const values: Record<string, unknown> = {};
  const walked = walkSorted(source);
  for (let i = 0; i < walked.length; i++) {
    if (depth !== 0 && i + 1 > depth) break;
    const { dir, files } = walked[i];
    for (const file of files) {
      const path = join(dir, file);
      // a role's vars/main.yml is already loaded by the role
      if (context.roleDir && join(context.roleDir, file) === join(dir, 'vars', 'main.yml')) continue;
      if (matcher && !matcher.test(file)) continue;
      if (ignorePatterns.some((p) => p.test(file))) continue;
      if (ignoreUnknown && !validExtensions.includes(extname(file).slice(1))) continue;
      const loaded = loadFile(path, included, validExtensions);
      if (loaded.failed) return { ...loaded, values };
      Object.assign(values, loaded.values);
    }
  }
  return { failed: false, message: '', values };
}

export const includeVarsModule: ModuleImplementation = {
  name: 'include_vars',
  async run(context): Promise<TaskResult> {
    const a = context.args;
    let dirs = 0;
    let files = 0;
    for (const key of Object.keys(a)) {
      if (DIR_ARGS.includes(key)) dirs++;
      else if (FILE_ARGS.includes(key)) files++;
      else if (!ANY_ARGS.includes(key)) return fail(`${key} is not a valid option in include_vars`);
    }
    if (dirs && files) return fail('You are mixing file only and dir only arguments, these are incompatible');
    const included: string[] = [];
    let loaded: Loaded;
    try {
      if (a.dir) {
        loaded = includeDir(context, included);
      } else {
        const file = (str(a, 'file') ?? str(a, '_raw_params'))?.replace(/\n+$/, '');
        if (!file) return fail('No file was found when using include_vars');
        const path = context.findFile?.(file, 'vars') ?? context.findFile?.(file, 'files');
        if (!path) return { failed: true, message: `Could not find or access '${file}'`, ansible_facts: {}, ansible_included_var_files: [] };
        loaded = loadFile(path, included);
      }
    } catch (error) {
      return fail((error as Error).message);
    }
    const name = str(a, 'name');
    const facts = name ? { [name]: loaded.values } : loaded.values;
    const result: TaskResult = { ansible_included_var_files: included, ansible_facts: facts };
    if (loaded.failed) Object.assign(result, { failed: true, message: loaded.message });
    return result;
  },
};
