/**
 * The modules the bundled engine implements, by every name a task may use (short, ansible.builtin.*,
 * ansible.legacy.*, aliases). Anything else fails with a message that names it and points to --engine ansible.
 */
import { canonicalModuleName } from './catalog';
import { BUILTIN_IMPLEMENTATIONS } from './builtins';
import type { ModuleImplementation } from './types';

export class ModuleRegistry {
  private readonly byName = new Map<string, ModuleImplementation>();

  constructor(modules: readonly ModuleImplementation[] = BUILTIN_IMPLEMENTATIONS) {
    for (const module of modules) this.add(module);
  }

  add(module: ModuleImplementation): void {
    for (const name of [module.name, `ansible.builtin.${module.name}`, `ansible.legacy.${module.name}`, ...(module.aliases ?? [])]) this.byName.set(name, module);
  }

  resolve(nameAsWritten: string): ModuleImplementation | undefined {
    return this.byName.get(nameAsWritten) ?? this.byName.get(canonicalModuleName(nameAsWritten));
  }
}

export function unknownModuleMessage(nameAsWritten: string): string {
  return `couldn't resolve module/action '${nameAsWritten}': the bundled engine does not implement it. Run this playbook with --engine ansible (uses your ansible-playbook) to use it.`;
}
