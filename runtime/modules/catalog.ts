/**
 * Static module knowledge (names, options, async/check-mode support, per-attempt time bounds) shared by the
 * language server (checks, completion, budgets) and the executor (the same "async is not supported" answer).
 */
import { coreAtLeast } from '../playbook/core-version';
import { BUILTIN_MODULES } from './catalog/builtins';
import type { ModuleInfo } from './catalog/types';

export type { AsyncSupport, AttemptBound, ModuleInfo, ModuleOption, OptionType } from './catalog/types';

const byName = new Map<string, ModuleInfo>();
for (const info of BUILTIN_MODULES) {
  const names = [info.name, info.fqcn, `ansible.builtin.${info.name}`, `ansible.legacy.${info.name}`, ...(info.aliases ?? [])];
  for (const n of names) if (!byName.has(n)) byName.set(n, info);
}

/** every module the catalog knows, for completion */
export function allModules(): readonly ModuleInfo[] {
  return BUILTIN_MODULES;
}

/** every name that resolves to a module (short names, FQCNs, ansible.legacy.*) */
export function allModuleNames(): string[] {
  return [...byName.keys()];
}

/** The module for a name as written in a task ("command", "ansible.builtin.command", "ansible.legacy.command"). */
export function lookupModule(nameAsWritten: string): ModuleInfo | undefined {
  return byName.get(nameAsWritten.trim());
}

/**
 * Canonical short name: strips ansible.builtin./ansible.legacy. and resolves known aliases
 * (systemd_service → systemd); other names (collections) are kept as written.
 */
export function canonicalModuleName(nameAsWritten: string): string {
  const known = lookupModule(nameAsWritten);
  if (known) return known.name;
  const m = /^ansible\.(?:builtin|legacy)\.(.+)$/.exec(nameAsWritten.trim());
  return m ? m[1] : nameAsWritten.trim();
}

/**
 * Whether `async` works on this module in the given ansible-core version. Unknown modules (collections)
 * answer true: most run through the normal action, and a false alarm is worse than a miss here.
 */
export function supportsAsync(module: string | ModuleInfo, coreVersion?: string): boolean {
  const info = typeof module === 'string' ? lookupModule(module) : module;
  if (!info) return true;
  if (info.async === 'yes') return true;
  if (info.async === 'no') return false;
  return !coreAtLeast(coreVersion, info.async.before);
}

/** the failure message of a task that sets `async` on an action that does not support it */
export function unsupportedAsyncMessage(actionAsWritten: string, coreVersion?: string): string {
  return coreAtLeast(coreVersion, '2.17')
    ? `This action (${actionAsWritten}) does not support async.`
    : 'async is not supported for this task.';
}

/** whether the module does anything in check mode (none: skipped with a message from 2.17) */
export function supportsCheckMode(module: string | ModuleInfo): boolean {
  const info = typeof module === 'string' ? lookupModule(module) : module;
  return info ? info.checkMode !== 'none' : true;
}

/** the skip message for check mode on a module without support (2.17+ wording) */
export function unsupportedCheckModeMessage(actionAsWritten: string, coreVersion?: string): string {
  return coreAtLeast(coreVersion, '2.17')
    ? `This action (${actionAsWritten}) does not support check mode.`
    : 'remote module does not support check mode';
}

/** the option spec of a module option by name or alias */
export function lookupOption(module: string | ModuleInfo, option: string) {
  const info = typeof module === 'string' ? lookupModule(module) : module;
  return info?.options.find((o) => o.name === option || o.aliases?.includes(option));
}
