/** Static knowledge of a module: what the editor needs without running anything. */

export type OptionType = 'str' | 'int' | 'float' | 'bool' | 'list' | 'dict' | 'path' | 'raw';

export interface ModuleOption {
  name: string;
  type: OptionType;
  required?: boolean;
  choices?: readonly (string | number | boolean)[];
  default?: unknown;
  aliases?: readonly string[];
  doc: string;
}

/**
 * How long one execution of the module can take, when the module itself bounds it.
 * - instant: runs on the controller or does no waiting of its own (debug, set_fact, stat, file, ...)
 * - option: bounded by one of its options (uri `timeout`, default 30)
 * - pause: the pause module (seconds/minutes; prompts are unbounded)
 * - unbounded: nothing bounds it (command, shell, package managers, ...)
 */
export type AttemptBound =
  | { kind: 'instant' }
  | { kind: 'option'; option: string; default: number }
  | { kind: 'pause' }
  | { kind: 'unbounded' };

/** async support: always, never, or only before a version (reboot stopped advertising it in 2.17) */
export type AsyncSupport = 'yes' | 'no' | { before: string };

export interface ModuleInfo {
  /** canonical short name */
  name: string;
  /** the fully qualified name (ansible.builtin.x) */
  fqcn: string;
  /** further names that resolve to it (the short name, fqcn and ansible.legacy.<name> always do) */
  aliases?: readonly string[];
  /** one-line description */
  doc: string;
  options: readonly ModuleOption[];
  /** accepts free-form text (`command: echo hi`) as _raw_params */
  freeForm?: boolean;
  /** free-form k=v keys that stay module options for command-like modules (the rest is the command line) */
  freeFormKeys?: readonly string[];
  async: AsyncSupport;
  checkMode: 'full' | 'partial' | 'none';
  /** runs on the controller only (no connection to the target) */
  controllerOnly?: boolean;
  attemptBound: AttemptBound;
  /** notable keys of the result, for completion after `register` (`.rc`, `.stdout`, ...) */
  returns?: readonly string[];
  /** first ansible-core version that has it, when it matters */
  since?: string;
}
