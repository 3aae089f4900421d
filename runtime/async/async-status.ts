/**
 * ansible.builtin.async_status: status and cleanup exactly as ansible-core 2.14 records them (case 07 for the
 * argument errors, 04/06/08/09 for the results), read over one exec per call. `waitBeforeRetry` is the instant
 * join: between until-retries it wakes as soon as the job's status file changes (at most `seconds`), so the next
 * attempt sees the end right away; attempt counting and results are the executor's and do not change.
 */
import type { Connection } from '../connection/types';
import type { TaskResult } from '../events/types';
import type { ModuleContext, ModuleImplementation } from '../modules/types';
import { retryUntilDeadline, sleep } from './retry';
import { isSet } from './shapes';
import { becomeOf } from '../modules/common';
import { readJobStatus, STATUS_ANSWER_MS, type JobBecome, type StatusMode, type StatusState } from './status';
import { watcherFor } from './watcher';

const ACTION = 'ansible_collections.ansible.builtin.plugins.action.async_status';
const SUPPORTED = ['jid', 'mode'];
export const DEFAULT_ASYNC_DIR = '~/.ansible_async';

interface Seen {
  signature?: string;
  state: StatusState;
  reads: number;
  firstReadAt: number;
}

/** what the last read of each job saw, per connection: the baseline instant joins compare against */
const lastSeen = new WeakMap<Connection, Map<string, Seen>>();

function seenMap(connection: Connection): Map<string, Seen> {
  let map = lastSeen.get(connection);
  if (!map) {
    map = new Map();
    lastSeen.set(connection, map);
  }
  return map;
}

export function asyncDirOf(vars: Record<string, unknown>): string {
  const dir = vars.ansible_async_dir;
  return typeof dir === 'string' && dir !== '' ? dir : DEFAULT_ASYNC_DIR;
}

function actionFailure(msg: string): TaskResult {
  return { changed: false, exception: 'NoneType: None\n', failed: true, msg };
}

/** validate_argument_spec({jid: str required, mode: choices status|cleanup}) with Ansible's messages */
export function validateAsyncStatusArgs(args: Record<string, unknown>): { jid: string; mode: StatusMode } | TaskResult {
  const unknown = Object.keys(args)
    .filter((key) => !SUPPORTED.includes(key) && !key.startsWith('_ansible_'))
    .sort();
  if (unknown.length > 0) {
    return actionFailure(`Unsupported parameters for (${ACTION}) module: ${unknown.join(', ')}. Supported parameters include: ${SUPPORTED.join(', ')}.`);
  }
  if (args.jid === undefined || args.jid === null) return actionFailure('missing required arguments: jid');
  const mode = args.mode === undefined || args.mode === null ? 'status' : String(args.mode);
  if (mode !== 'status' && mode !== 'cleanup') return actionFailure(`value of mode must be one of: status, cleanup, got: ${mode}`);
  const jid = typeof args.jid === 'object' ? JSON.stringify(args.jid) : String(args.jid);
  return { jid, mode };
}

/** the executor's task id (what the task's start and result events carry); file:line when run without one */
function taskIdOf(ctx: ModuleContext): string {
  if (ctx.taskId) return ctx.taskId;
  try {
    const at = ctx.task.file.position(ctx.task.span.start);
    return `${ctx.task.file.path}:${at.line + 1}`;
  } catch {
    return ctx.task.name ?? 'async_status';
  }
}

/** how long a status read keeps retrying a dropped link: the task's whole until budget, at least 30 s */
function readBudgetMs(ctx: ModuleContext): number {
  const number = (name: string): number | undefined => {
    const value = ctx.task.keywords?.[name]?.value;
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : undefined;
    return n;
  };
  const retries = Math.max(0, number('retries') ?? 3);
  const delay = Math.max(1, number('delay') ?? 5);
  return Math.max(30_000, (retries + 1) * delay * 1000);
}

/** the task's become: async_status reads the status file as the user the job ran as (their async dir) */
function becomeOfTask(ctx: ModuleContext): JobBecome | undefined {
  const become = becomeOf(ctx);
  return become.becomeUser === undefined ? undefined : { becomeUser: become.becomeUser, ...(become.becomePassword === undefined ? {} : { becomePassword: become.becomePassword }) };
}

export const asyncStatusModule: ModuleImplementation = {
  name: 'async_status',
  aliases: ['ansible.builtin.async_status', 'ansible.legacy.async_status'],

  async run(ctx: ModuleContext): Promise<TaskResult> {
    const args = validateAsyncStatusArgs(ctx.args);
    if (!('jid' in args && 'mode' in args && typeof args.jid === 'string')) return args as TaskResult;
    const { jid, mode } = args as { jid: string; mode: StatusMode };
    const asyncDir = ctx.asyncDir ?? asyncDirOf(ctx.vars);
    const key = `${asyncDir}\u0000${jid}`;
    const seen = seenMap(ctx.connection);
    const common = { taskId: taskIdOf(ctx), task: ctx.task.name ?? 'async_status', host: ctx.host };
    const read = await retryUntilDeadline(
      () => readJobStatus({ connection: ctx.connection, asyncDir, jid, mode, coreVersion: ctx.coreVersion, become: becomeOfTask(ctx), signal: ctx.signal, answerWithinMs: STATUS_ANSWER_MS, throughWatcher: ctx.instantJoins !== false }),
      {
        deadline: Date.now() + readBudgetMs(ctx),
        signal: ctx.signal,
        // the link dropped or went silent: say so while retrying (the job itself is unaffected)
        onError: (error, tries, nextDelayMs) => {
          const last = seen.get(key);
          ctx.emit({
            event: 'job_status',
            ...common,
            jid,
            state: 'running',
            elapsedSeconds: last ? Math.round((Date.now() - last.firstReadAt) / 100) / 10 : 0,
            polls: last?.reads ?? 0,
            finished: false,
            reason: `status read failed (try ${tries}, retrying in ${nextDelayMs} ms): ${(error as Error).message}`,
          });
        },
      },
    );

    const before = seen.get(key);
    const now = Date.now();
    const entry: Seen = { signature: read.signature, state: read.state, reads: (before?.reads ?? 0) + 1, firstReadAt: before?.firstReadAt ?? now };
    seen.set(key, entry);

    const result = read.result;
    if (mode === 'cleanup') {
      if (read.state === 'erased') ctx.emit({ event: 'job_cleaned', ...common, jid, state: 'cleaned' });
      return result;
    }
    if (read.state === 'missing') {
      ctx.emit({ event: 'job_lost', ...common, jid, state: 'lost', reason: 'could not find job', result });
      return result;
    }
    const finished = isSet(result.finished);
    ctx.emit({
      event: 'job_status',
      ...common,
      jid,
      state: !finished ? 'running' : isSet(result.failed) ? (result.msg === 'Timeout exceeded' ? 'timed_out' : 'failed') : 'finished',
      elapsedSeconds: Math.round((now - entry.firstReadAt) / 100) / 10,
      polls: entry.reads,
      finished,
      ...(typeof result.rc === 'number' ? { rc: result.rc } : {}),
    });
    if (finished) {
      ctx.emit({
        event: 'job_joined',
        ...common,
        jid,
        state: isSet(result.failed) ? (result.msg === 'Timeout exceeded' ? 'timed_out' : 'failed') : 'finished',
        result,
      });
    }
    return result;
  },

  async waitBeforeRetry(ctx: ModuleContext, seconds: number): Promise<void> {
    const instant = ctx.instantJoins !== false;
    const args = validateAsyncStatusArgs(ctx.args);
    const jid = typeof (args as { jid?: unknown }).jid === 'string' ? (args as { jid: string }).jid : undefined;
    const asyncDir = ctx.asyncDir ?? asyncDirOf(ctx.vars);
    const seen = jid ? seenMap(ctx.connection).get(`${asyncDir}\u0000${jid}`) : undefined;
    if (!instant || !jid || !seen || seen.state !== 'running') {
      await sleep(seconds * 1000, ctx.signal);
      return;
    }
    await watcherFor(ctx.connection, asyncDir, becomeOfTask(ctx)).waitForChange(jid, seen.signature, seconds, ctx.signal);
  },
};
