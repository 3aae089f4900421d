/**
 * What an evaluation sees: the caller's variables (read in place, never copied), the local frames that
 * `{% set %}` and `{% for %}` create, and the environment of filters, tests and lookups.
 */
/** A filter: value | name(args, kwargs) */
export type FilterFn = (scope: Scope, value: unknown, args: unknown[], kwargs: Kwargs) => unknown;
/** A test: value is name(args, kwargs) */
export type TestFn = (scope: Scope, value: unknown, args: unknown[], kwargs: Kwargs) => boolean;
/** A lookup plugin: returns the list of results (`query` form) */
export type LookupFn = (terms: unknown[], kwargs: Kwargs, scope: Scope) => unknown[];
export type Kwargs = Record<string, unknown> | null;

export interface FilterDef {
  fn: FilterFn;
  /** the filter may see undefined input (`default`, `mandatory`); others raise Ansible's undefined error */
  acceptsUndefined?: boolean;
}
export interface TestDef {
  fn: TestFn;
  acceptsUndefined?: boolean;
}

export interface Env {
  filters: ReadonlyMap<string, FilterDef>;
  tests: ReadonlyMap<string, TestDef>;
  lookups: ReadonlyMap<string, LookupFn>;
  /** directory that relative `lookup('file', ...)` paths start from */
  baseDir: string;
}

export class Frame {
  readonly vars = new Map<string, unknown>();
  constructor(readonly parent: Frame | null) {}
}

export interface Scope {
  readonly vars: Record<string, unknown>;
  frame: Frame | null;
  readonly env: Env;
}
