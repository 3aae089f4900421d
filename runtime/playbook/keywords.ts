/**
 * The playbook keyword table (ansible-core's play/block/task/handler/role keywords): used to tell keywords from
 * module names and typos when building the model, for hovers, and for completion.
 *
 * Defaults are the ones ansible-core applies (poll 15, delay 5, retries 3 when `until` is set), not the ones
 * some editors' hovers show.
 */

export type KeywordType = 'int' | 'float' | 'bool' | 'string' | 'list' | 'dict' | 'expr' | 'any';
export type KeywordScope = 'play' | 'block' | 'task' | 'handler' | 'role';

export interface KeywordInfo {
  name: string;
  type: KeywordType;
  /** where the keyword is valid */
  scopes: KeywordScope[];
  /** value ansible-core uses when the keyword is absent (undefined: no default / inherited) */
  default?: unknown;
  /** first ansible-core version that accepts it, when newer than 2.0 */
  since?: string;
  /** short description for hovers */
  doc: string;
}

const P: KeywordScope = 'play';
const B: KeywordScope = 'block';
const T: KeywordScope = 'task';
const H: KeywordScope = 'handler';
const R: KeywordScope = 'role';
const ALL: KeywordScope[] = [P, B, T, H, R];
const TASKLIKE: KeywordScope[] = [T, H];

function kw(name: string, type: KeywordType, scopes: KeywordScope[], doc: string, extra: Partial<KeywordInfo> = {}): KeywordInfo {
  return { name, type, scopes, doc, ...extra };
}

export const KEYWORDS: readonly KeywordInfo[] = [
  // shared by every level
  kw('name', 'string', ALL, 'Identifier; shown in the output (TASK [...], PLAY [...]).'),
  kw('any_errors_fatal', 'bool', [P, B, T, H, R], 'Any unhandled failure on any host stops the play on all hosts.', { default: false }),
  kw('become', 'bool', ALL, 'Run with privilege escalation (sudo by default).', { default: false }),
  kw('become_exe', 'string', ALL, 'Path of the escalation executable.'),
  kw('become_flags', 'string', ALL, 'Extra flags for the escalation executable.'),
  kw('become_method', 'string', ALL, 'Escalation method (sudo, su, ...).', { default: 'sudo' }),
  kw('become_user', 'string', ALL, 'User to become.', { default: 'root' }),
  kw('check_mode', 'bool', ALL, 'Run in check mode (no changes). Before 2.17 it cannot be combined with async.'),
  kw('collections', 'list', ALL, 'Collections searched for unqualified module names.'),
  kw('connection', 'string', [P, B, T, H, R], 'Connection plugin (ssh, local, ...).', { default: 'ssh' }),
  kw('debugger', 'string', ALL, 'When to start the task debugger (always, never, on_failed, ...).'),
  kw('diff', 'bool', ALL, 'Show diffs of changes.', { default: false }),
  kw('environment', 'dict', ALL, 'Environment variables for the remote process; reaches async jobs too.'),
  kw('ignore_errors', 'bool', ALL, 'Continue after a failure; the result counts as ok and ignored.', { default: false }),
  kw('ignore_unreachable', 'bool', ALL, 'Continue when the host is unreachable for this task.', { default: false }),
  kw('module_defaults', 'dict', ALL, 'Default module arguments by module or group.'),
  kw('no_log', 'bool', ALL, 'Hide the results (censored) in output and logs.', { default: false }),
  kw('port', 'int', ALL, 'Remote port used by the connection.'),
  kw('remote_user', 'string', ALL, 'User the connection logs in as.'),
  kw('run_once', 'bool', ALL, 'Run on the first host of the batch only; results apply to all.', { default: false }),
  kw('tags', 'list', ALL, 'Tags for --tags / --skip-tags.'),
  kw('throttle', 'int', [P, B, T, H, R], 'Maximum hosts running this task at once.', { since: '2.9' }),
  kw('timeout', 'int', ALL, "Seconds the action's run() may take before it is terminated. Wraps only the launch of an async task, not its polling.", { since: '2.10' }),
  kw('vars', 'dict', ALL, 'Variables for this scope.'),
  kw('when', 'expr', [B, T, H, R], 'Condition (a bare Jinja expression, no {{ }}); the task is skipped when false.'),
  kw('delegate_to', 'string', [B, T, H, R], 'Run on another host (e.g. localhost) instead of the inventory host.'),
  kw('delegate_facts', 'bool', [B, T, H, R], 'Assign gathered facts to the delegated host.'),

  // play only
  kw('hosts', 'list', [P], 'Host pattern(s) the play targets.'),
  kw('gather_facts', 'bool', [P], 'Run the setup module before the first task.', { default: true }),
  kw('gather_subset', 'list', [P], 'Subsets of facts to gather.'),
  kw('gather_timeout', 'int', [P], 'Timeout for fact gathering.'),
  kw('fact_path', 'string', [P], 'Path of local facts.'),
  kw('force_handlers', 'bool', [P], 'Run notified handlers even on hosts that failed.'),
  kw('max_fail_percentage', 'float', [P], 'Abort the play when more than this percentage of a batch failed.'),
  kw('order', 'string', [P], 'Host order (inventory, reverse_inventory, sorted, reverse_sorted, shuffle).', { default: 'inventory' }),
  kw('serial', 'list', [P], 'Batch size(s): number, percentage or list.'),
  kw('strategy', 'string', [P], 'Execution strategy (linear, free, ...).', { default: 'linear' }),
  kw('vars_files', 'list', [P], 'Files with variables.'),
  kw('vars_prompt', 'list', [P], 'Variables prompted for at start.'),
  kw('pre_tasks', 'list', [P], 'Tasks run before roles.'),
  kw('roles', 'list', [P], 'Roles run before tasks.'),
  kw('tasks', 'list', [P], 'Main list of tasks.'),
  kw('post_tasks', 'list', [P], 'Tasks run after tasks.'),
  kw('handlers', 'list', [P], 'Tasks run when notified.'),

  // block only
  kw('block', 'list', [B], 'Tasks grouped to share keywords and error handling.'),
  kw('rescue', 'list', [B], 'Tasks run when a task in the block fails.'),
  kw('always', 'list', [B], 'Tasks run after the block whatever happened.'),

  // task
  kw('action', 'string', TASKLIKE, 'The module to run with its arguments (`action: command echo hi`).'),
  kw('local_action', 'string', TASKLIKE, 'Same as action, delegated to localhost.'),
  kw('args', 'dict', TASKLIKE, 'Module arguments (merged with the ones given to the module key).'),
  kw('async', 'int', TASKLIKE, 'Run as a background job with this time limit in seconds; the remote watchdog kills it at about 5·(1+⌈async/5⌉) s. 0 or absent: synchronous.', { default: 0 }),
  kw('poll', 'int', TASKLIKE, 'Seconds between status checks of an async job; at most ⌈async/poll⌉ checks. 0 (or negative): fire and forget.', { default: 15 }),
  kw('until', 'expr', TASKLIKE, 'Retry the task until this condition is true (bare expression).'),
  kw('retries', 'int', TASKLIKE, 'Retries for until: at most retries + 1 executions (3 when only until is set; 0 or negative: 1 execution). From 2.16 also without until: retried until not failed.'),
  kw('delay', 'int', TASKLIKE, 'Seconds between retries (negative: 1 s; floats truncated before 2.17.5).', { default: 5 }),
  kw('register', 'string', TASKLIKE, 'Variable that stores the result (for loops: `.results`).'),
  kw('changed_when', 'expr', TASKLIKE, 'Condition that overrides the changed status.'),
  kw('failed_when', 'expr', TASKLIKE, 'Condition that overrides the failed status.'),
  kw('loop', 'list', TASKLIKE, 'Items to run the task for.', { since: '2.5' }),
  kw('loop_control', 'dict', TASKLIKE, 'Loop settings: loop_var, label, index_var, pause, extended.'),
  kw('notify', 'list', [B, T, H], 'Handlers to notify when the task changed something (on a block: for each of its tasks).'),
  kw('listen', 'list', [H], 'Topics this handler listens to.'),
];

export const KEYWORDS_BY_NAME: ReadonlyMap<string, KeywordInfo> = new Map(KEYWORDS.map((k) => [k.name, k]));

const scopeSets = new Map<KeywordScope, Set<string>>();
for (const scope of ALL) scopeSets.set(scope, new Set(KEYWORDS.filter((k) => k.scopes.includes(scope)).map((k) => k.name)));

/** Keys a task accepts that are not in the table: with_<lookup> loops and the removed `static`. */
export function isLoopKeyword(key: string): boolean {
  return key.startsWith('with_');
}

/** true when `key` is a keyword valid in `scope` (task scope includes with_* loops) */
export function isKeyword(key: string, scope: KeywordScope): boolean {
  if (scopeSets.get(scope)!.has(key)) return true;
  return (scope === 'task' || scope === 'handler') && isLoopKeyword(key);
}

export function keywordInfo(name: string): KeywordInfo | undefined {
  if (isLoopKeyword(name)) {
    return { name, type: 'list', scopes: TASKLIKE, doc: `Loop over the items of the ${name.slice(5)} lookup (older form of loop).` };
  }
  return KEYWORDS_BY_NAME.get(name);
}

/** the keywords valid in a scope, for completion */
export function keywordsFor(scope: KeywordScope): KeywordInfo[] {
  return KEYWORDS.filter((k) => k.scopes.includes(scope));
}

/** Keywords an include_tasks/include_role accepts (anything else is "'x' is not a valid attribute for a TaskInclude"). */
export const INCLUDE_KEYWORDS: ReadonlySet<string> = new Set([
  'action', 'args', 'collections', 'debugger', 'ignore_errors', 'loop', 'loop_control', 'loop_with', 'name',
  'no_log', 'register', 'run_once', 'tags', 'timeout', 'vars', 'when',
  // include_role additionally accepts these through IncludeRole's own attributes
  'apply', 'delegate_to', 'delegate_facts',
]);

/**
 * Closest keyword to a misspelled key, for did-you-mean: edit distance ≤ 2 (≤ 1 for short keys), or ≤ 3 when
 * the first four letters agree (`retry` → `retries`, the typo of truth case 37).
 */
export function suggestKeyword(key: string, scope: KeywordScope): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of scopeSets.get(scope)!) {
    const d = editDistance(key, name);
    const limit = key.length <= 4 ? 1 : key.length >= 5 && key.slice(0, 4) === name.slice(0, 4) ? 3 : 2;
    if (d <= limit && d < bestDistance) {
      bestDistance = d;
      best = name;
    }
  }
  return best;
}

/** Damerau-Levenshtein (optimal string alignment): transposed letters (`retires`) count as one edit. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
