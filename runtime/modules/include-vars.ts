/** include_vars: a YAML/JSON file from the controller (role vars/ first), as facts of the host. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { TaskResult } from '../events/types';
import { fail, str } from './common';
import type { ModuleImplementation } from './types';

export const includeVarsModule: ModuleImplementation = {
  name: 'include_vars',
  async run(context): Promise<TaskResult> {
    const file = str(context.args, 'file') ?? str(context.args, '_raw_params');
    if (!file) return fail('include_vars needs a file (directories are not supported by the bundled engine)');
    const path = context.findFile?.(file, 'vars') ?? context.findFile?.(file, 'files');
    if (!path) return fail(`Could not find or access '${file}'`);
    let value: unknown;
    try {
      value = parseYaml(readFileSync(path, 'utf8'));
    } catch (error) {
      return fail(`Syntax error in ${path}: ${(error as Error).message}`);
    }
    if (value === null || value === undefined) value = {};
    if (typeof value !== 'object' || Array.isArray(value)) return fail(`${path} must be stored as a dictionary/hash`);
    const name = str(context.args, 'name');
    const facts = name ? { [name]: value } : (value as Record<string, unknown>);
    return { changed: false, ansible_facts: facts, ansible_included_var_files: [path] };
  },
};
