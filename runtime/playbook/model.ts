/**
 * The playbook model shared by the language server (analysis, budgets) and the engine (execution).
 * Everything keeps its source span so any finding or runtime error can point at file:line:col.
 *
 * Offsets are UTF-16 code-unit offsets into the file text (what `yaml` and LSP's TextDocument use).
 */

export interface Span {
  start: number;
  end: number;
}

/** A parsed file with a line index; converts offsets to 0-based line/character. */
export interface SourceFile {
  path: string;
  text: string;
  /** 0-based line and character of an offset */
  position(offset: number): { line: number; character: number };
}

/** A keyword or argument as written: raw YAML value plus where the key and the value are. */
export interface Entry<T = unknown> {
  key: string;
  value: T;
  keySpan: Span;
  valueSpan: Span;
  /** true when the value is a string containing Jinja ({{ or {%) and so is only known at run time */
  templated: boolean;
}

export type TaskKind =
  | 'task'
  | 'block'
  | 'handler'
  | 'import_tasks'
  | 'include_tasks'
  | 'import_role'
  | 'include_role'
  | 'meta'
  /** an entry of a play's `roles:` list (static, like import_role) */
  | 'role';

export interface Task {
  kind: TaskKind;
  /** the file this task is written in (differs from the play's when imported) */
  file: SourceFile;
  /** span of the whole task mapping */
  span: Span;
  /** span of the first line of the task (the "- name: ..." line): where inlay hints go */
  headSpan: Span;
  name?: string;
  /** action as written: "command", "ansible.builtin.async_status", "local_action" target, ... */
  action?: string;
  /** canonical short module name: "command", "async_status" (FQCN prefixes ansible.builtin./ansible.legacy. removed) */
  module?: string;
  /** span of the module key (or of `action:`) */
  actionSpan?: Span;
  /** module arguments merged from the module value, `args:` and k=v free-form parsing */
  args: Record<string, Entry>;
  /** free-form text of command/shell/raw/script ("_raw_params") */
  freeForm?: Entry<string>;
  /** every task keyword present (name, async, poll, until, retries, delay, register, when, loop, ...) */
  keywords: Record<string, Entry>;
  /** keys that are neither keywords nor the module (typos such as `retires`) */
  unknownKeys: Entry[];
  /** true for `local_action:` or `delegate_to: localhost` */
  delegatedToLocalhost?: boolean;
  /** block/rescue/always children for kind 'block' */
  block?: Task[];
  rescue?: Task[];
  always?: Task[];
  /** tasks pulled in by a static import_tasks (and include_tasks with a static path, for analysis only) */
  imported?: Task[];
  /** inherited keywords from enclosing blocks (when, become, tags, ...), outermost first */
  parents?: Task[];
  /** which list of its parent block this task sits in */
  section?: 'block' | 'rescue' | 'always';
  /** for include/import tasks and roles: the file or role reference as written (`import_tasks: x.yml`, `name: r`) */
  target?: Entry<string>;
  /** for include/import tasks and roles: the resolved file that was read (absent when templated or unreadable) */
  resolvedPath?: string;
  /** role name for kind 'role' / 'import_role' / 'include_role', and for tasks that come from a role */
  role?: string;
  /** true for tasks found in a play's `handlers:` (or a role's handlers) */
  isHandler?: boolean;
  /** for roles (kind 'role', 'import_role', 'include_role'): the role's handlers/main.yml */
  handlers?: Task[];
  /** for roles: variables of the role's vars/main.yml (above play vars) and defaults/main.yml (lowest) */
  roleVars?: Record<string, unknown>;
  roleDefaults?: Record<string, unknown>;
}

export interface Play {
  file: SourceFile;
  span: Span;
  headSpan: Span;
  name?: string;
  hosts?: Entry;
  keywords: Record<string, Entry>;
  unknownKeys: Entry[];
  vars: Record<string, Entry>;
  preTasks: Task[];
  roles: Task[];
  tasks: Task[];
  postTasks: Task[];
  handlers: Task[];
  /** variables of the play's `vars_files` that have static paths and could be read (above play vars) */
  varsFiles?: Record<string, unknown>;
  /** for `- import_playbook: x.yml` entries */
  importPlaybook?: { path: Entry<string>; plays: Play[]; resolvedPath?: string };
}

export interface Diagnostic {
  file: SourceFile;
  span: Span;
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

/** Parse problem codes: stable identifiers the server can map to severities. */
export type ProblemCode =
  | 'yaml-syntax'
  | 'yaml-warning'
  | 'duplicate-key'
  | 'playbook-not-list'
  | 'play-not-mapping'
  | 'play-no-hosts'
  | 'tasks-not-list'
  | 'task-not-mapping'
  | 'conflicting-action'
  | 'no-action'
  | 'action-and-local-action'
  | 'include-invalid-attribute'
  | 'import-not-found'
  | 'import-cycle'
  | 'role-not-found'
  | 'bad-args'
  /** a bug in the model builder, reported on the file instead of thrown */
  | 'internal';

export interface Playbook {
  file: SourceFile;
  plays: Play[];
  /** YAML syntax errors and structural problems found while building the model (never thrown) */
  problems: Diagnostic[];
}
