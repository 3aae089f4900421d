/**
 * Reduces an event stream to what conformance compares, per task and host: status, changed, retries and attempts,
 * async polls, failure message, the shape of registered variables shown by `debug: var=`, plus recap and errors.
 * Values that legitimately differ between runs (job ids, timestamps, durations, scratch paths) are normalised.
 */
import type { RunEvent, TaskResult } from '../../runtime/events/types';

export type Status = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable' | 'ignored';

export interface HostTaskOutcome {
  /** "play#N task-name#K": the K-th task of that name in the N-th play */
  key: string;
  play: string;
  task: string;
  /** the task's action as the engine reported it */
  action: string;
  host: string;
  status: Status;
  changed: boolean;
  /** runner_retry events */
  retries: number;
  /** `attempts` in the final result, when present */
  attempts?: number;
  /** runner_on_async_poll events */
  polls: number;
  asyncEnd?: 'ok' | 'failed';
  jobStarted: number;
  message?: string;
  /** JSON-type shapes of what debug printed (registered variables and msg) */
  shape?: string;
  items: string[];
}

export interface RunSummary {
  outcomes: Map<string, HostTaskOutcome>;
  /** task keys in the order they started */
  taskOrder: string[];
  recap?: Record<string, Record<string, number>>;
  errors: { message: string; position?: string }[];
}

const JID = /\bj?\d{6,}\.\d+\b/g;
const TIMESTAMP = /\b\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?Z?\b/g;
const DELTA = /\b\d+:\d\d:\d\d\.\d+\b/g;

/** Paths that differ per run, each with the placeholder that replaces it (longest first wins). */
export type Roots = [path: string, token: string][];

export function normaliseText(text: string, roots: Roots): string {
  let out = text;
  for (const [root, token] of roots.filter(([p]) => p).sort((a, b) => b[0].length - a[0].length)) out = out.split(root).join(token);
  return out.replace(JID, '<JID>').replace(TIMESTAMP, '<TS>').replace(DELTA, '<DELTA>');
}

/**
 * A value's structure without its contents: key names and JSON types, recursively. Keys are normalised like
 * text because some results are keyed by path (find's `skipped_paths`), and each run has its own folders.
 */
export function shapeOf(value: unknown, roots: Roots = [], depth = 0): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) {
    if (depth > 6) return 'list';
    const items = [...new Set(value.map((item) => shapeOf(item, roots, depth + 1)))].sort();
    return `[${items.join('|')}]`;
  }
  if (typeof value === 'object') {
    if (depth > 6) return 'dict';
    // `_ansible_*` keys are callback transport (e.g. _ansible_verbose_always), never part of a registered value
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !key.startsWith('_ansible_'))
      .map(([key, v]): [string, unknown] => [normaliseText(key, roots), v])
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${k}:${shapeOf(v, roots, depth + 1)}`).join(',')}}`;
  }
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return typeof value === 'string' ? 'str' : typeof value;
}

const DEBUG_ACTIONS = new Set(['debug', 'ansible.builtin.debug', 'ansible.legacy.debug']);

function message(result: TaskResult, roots: Roots): string | undefined {
  const msg = result.msg ?? result.censored;
  if (msg === undefined) return undefined;
  return normaliseText(typeof msg === 'string' ? msg : JSON.stringify(msg), roots);
}

export function summarise(events: RunEvent[], roots: Roots): RunSummary {
  const outcomes = new Map<string, HostTaskOutcome>();
  const taskOrder: string[] = [];
  const keyOfTask = new Map<string, string>();
  const actionOfTask = new Map<string, string>();
  const nameCount = new Map<string, number>();
  let playIndex = 0;
  const errors: RunSummary['errors'] = [];
  let recap: RunSummary['recap'];

  const outcome = (taskId: string, task: string, host: string): HostTaskOutcome => {
    const key = keyOfTask.get(taskId) ?? `play${playIndex} ${task}`;
    const id = `${key} @${host}`;
    let found = outcomes.get(id);
    if (!found) {
      found = { key, play: `play${playIndex}`, task, action: actionOfTask.get(taskId) ?? '', host, status: 'ok', changed: false, retries: 0, polls: 0, jobStarted: 0, items: [] };
      outcomes.set(id, found);
    }
    return found;
  };

  for (const event of events) {
    switch (event.event) {
      case 'playbook_on_play_start':
        playIndex++;
        nameCount.clear();
        break;
      case 'playbook_on_task_start':
      case 'playbook_on_handler_task_start': {
        const base = `play${playIndex} ${event.task}`;
        // Ansible starts a task again for each include of it; the bundled engine may reuse or renew task ids.
        const known = keyOfTask.get(event.taskId);
        if (known && taskOrder[taskOrder.length - 1] === known) break;
        const n = (nameCount.get(base) ?? 0) + 1;
        nameCount.set(base, n);
        const key = n > 1 ? `${base} #${n}` : base;
        keyOfTask.set(event.taskId, key);
        actionOfTask.set(event.taskId, event.action);
        taskOrder.push(key);
        break;
      }
      case 'runner_on_ok':
      case 'runner_on_failed':
      case 'runner_on_skipped':
      case 'runner_on_unreachable': {
        const o = outcome(event.taskId, event.task, event.host);
        const result = event.result ?? {};
        o.changed = event.changed ?? result.changed === true;
        o.status =
          event.event === 'runner_on_ok' ? (o.changed ? 'changed' : 'ok')
          : event.event === 'runner_on_failed' ? (event.ignoreErrors ? 'ignored' : 'failed')
          : event.event === 'runner_on_skipped' ? 'skipped'
          : 'unreachable';
        if (typeof result.attempts === 'number') o.attempts = result.attempts;
        if (event.event !== 'runner_on_ok') o.message = message(result, roots);
        if (event.event === 'runner_on_ok' && DEBUG_ACTIONS.has(actionOfTask.get(event.taskId) ?? '')) {
          const { changed: _c, failed: _f, skipped: _s, ...shown } = result;
          o.shape = shapeOf(shown, roots);
          if (typeof shown.msg === 'string') o.message = normaliseText(shown.msg, roots);
        }
        break;
      }
      case 'runner_item_on_ok':
      case 'runner_item_on_failed':
      case 'runner_item_on_skipped': {
        const o = outcome(event.taskId, event.task, event.host);
        const changed = event.changed ?? event.result?.changed === true;
        o.items.push(event.event === 'runner_item_on_ok' ? (changed ? 'changed' : 'ok') : event.event === 'runner_item_on_failed' ? 'failed' : 'skipped');
        break;
      }
      case 'runner_retry':
        outcome(event.taskId, event.task, event.host).retries++;
        break;
      case 'runner_on_async_poll':
        outcome(event.taskId, event.task, event.host).polls++;
        break;
      case 'runner_on_async_ok':
      case 'runner_on_async_failed':
        outcome(event.taskId, event.task, event.host).asyncEnd = event.event === 'runner_on_async_ok' ? 'ok' : 'failed';
        break;
      case 'job_started':
        outcome(event.taskId, event.task, event.host).jobStarted++;
        break;
      case 'playbook_on_stats':
        recap = event.stats as unknown as RunSummary['recap'];
        break;
      case 'error': {
        // Some engines lead the message with the position it also reports separately; compare the words only.
        const where = event.position ? `${event.position.file}:${event.position.line}:${event.position.column}: ` : undefined;
        const words = where && event.message.startsWith(where) ? event.message.slice(where.length) : event.message;
        errors.push({
          message: normaliseText(words, roots),
          ...(event.position ? { position: normaliseText(`${event.position.file}:${event.position.line}:${event.position.column}`, roots) } : {}),
        });
        break;
      }
      default:
        break;
    }
  }
  return { outcomes, taskOrder, recap, errors };
}
