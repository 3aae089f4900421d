/**
 * The wait budget of one task on one host: how long Ansible can spend on it at most, following the rules in
 * SEMANTICS.md (attempt counting, delay, poll checks, async_status joins, loops), with the formula that
 * produced the number. The executor obeys the same small functions (attempts.ts).
 */
import { lookupModule, supportsAsync, unsupportedAsyncMessage } from '../modules/catalog';
import { coreAtLeast, DEFAULT_CORE_VERSION } from '../playbook/core-version';
import type { Play, Span, Task } from '../playbook/model';
import { isActionTask, walkPlay } from '../playbook/walk';
import { attemptBound } from './attempt-bound';
import {
  asyncMode,
  delayIsFloat,
  effectiveDelay,
  effectivePoll,
  pollChecks,
  retryWaitSeconds,
  untilAttempts,
  watchdogKillSeconds,
} from './attempts';
import { formatNumber, formatSeconds } from './format';
import { findJoinedJob, type JobReference } from './joins';
import { loopCount } from './loops';
import { resolveEntry, varLayers, type Resolved, type VarLayer, type VarUse } from './values';

export type BudgetKind = 'async' | 'join' | 'until' | 'task';

export interface BudgetContext {
  /** target ansible-core ("2.14".."2.19", or "2.17.5"); default 2.19 */
  coreVersion?: string;
  /** the play the task belongs to: its vars and its registered results */
  play?: Play;
  /** the play's tasks in execution order; computed from `play` when absent */
  ordered?: readonly Task[];
  /** variables known from elsewhere (inventory, extra vars), used when the playbook does not define them */
  vars?: Record<string, unknown>;
}

export interface ValueIssue {
  keyword: string;
  span: Span;
  message: string;
}

export interface AsyncBudget {
  /** the async limit in seconds (null when templated and unknown) */
  limit: number | null;
  poll: number | null;
  mode: 'poll' | 'launch' | 'unknown';
  /** status checks the controller makes (poll mode) */
  checks: number | null;
  /** seconds the controller waits at most (poll mode; 0 for a launch) */
  waitSeconds: number | null;
  /** when the remote watchdog kills the job */
  killAfterSeconds: number | null;
  supported: boolean;
}

export interface JoinBudget {
  reference?: JobReference;
  /** seconds the join keeps checking: (attempts − 1) × delay, per item */
  waitSeconds: number | null;
  /** async limit of the joined launch */
  asyncLimit: number | null;
  /** waitSeconds ≥ asyncLimit (null when either is unknown) */
  covers: boolean | null;
}

export interface TaskBudget {
  kind: BudgetKind;
  /** worst-case seconds on one host; null when unknown (templated) or unbounded */
  seconds: number | null;
  unbounded: boolean;
  /** worth an inlay hint: async/poll, joins, until/retries, an explicit timeout, a failure at once */
  relevant: boolean;
  /** e.g. "⏱ ≤ 3,600 s (120 × 30 s) · covers async 3,600 s" */
  text: string;
  /** how the number came about, for hovers */
  formula: string;
  /** variables the number depends on (unknown ones, and the ones whose playbook value was used) */
  dependsOn: string[];
  /** variable values taken from the playbook to compute the number */
  uses: VarUse[];
  /** invalid keyword values, with Ansible's run-time message */
  invalid: ValueIssue[];
  /** the task fails before doing anything (invalid value, unsupported async, check mode + async) */
  failsAtOnce?: string;
  /** maximum executions per item (null when retries is unknown) */
  attempts: number | null;
  /** seconds between attempts (null when unknown) */
  delay: number | null;
  perAttempt: { seconds: number | null; unbounded: boolean; source: string };
  /** loop items (1 without a loop; null unknown) */
  items: number | null;
  async?: AsyncBudget;
  join?: JoinBudget;
}

const orderedCache = new WeakMap<Play, Task[]>();

function orderedTasks(ctx: BudgetContext, task: Task): readonly Task[] {
  if (ctx.ordered) return ctx.ordered;
  if (!ctx.play) return [task];
  let list = orderedCache.get(ctx.play);
  if (!list) {
    list = [...walkPlay(ctx.play)];
    orderedCache.set(ctx.play, list);
  }
  return list;
}

function numberOrNull(r: Resolved): number | null | undefined {
  if (r.kind === 'number') return r.value;
  if (r.kind === 'absent') return undefined;
  return null;
}

function depends(r: Resolved): string[] {
  return r.kind === 'unknown' ? r.dependsOn : r.kind === 'number' ? r.uses.map((u) => u.name) : [];
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function dependsText(names: string[]): string {
  return `depends on ${names.map((n) => `{{ ${n} }}`).join(', ')}`;
}

function usesText(uses: VarUse[]): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const u of uses) {
    if (seen.has(u.name)) continue;
    seen.add(u.name);
    parts.push(`${u.name} = ${shortValue(u.value)} (${u.source})`);
  }
  return parts.length ? ` · with ${parts.join(', ')}` : '';
}

function shortValue(value: unknown): string {
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value && typeof value === 'object') return `${Object.keys(value).length} keys`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function plural(n: number, word: string): string {
  return `${formatNumber(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** budget of a block, include, import or role entry itself (its children have their own) */
function containerBudget(task: Task): TaskBudget {
  return {
    kind: 'task', seconds: 0, unbounded: false, relevant: false, text: '', formula: `${task.kind}: counted through its tasks`,
    dependsOn: [], uses: [], invalid: [], attempts: 1, delay: null, perAttempt: { seconds: 0, unbounded: false, source: task.kind }, items: 1,
  };
}

export function taskBudget(task: Task, context: BudgetContext = {}): TaskBudget {
  if (!isActionTask(task)) return containerBudget(task);
  const version = context.coreVersion ?? DEFAULT_CORE_VERSION;
  const ordered = orderedTasks(context, task);
  const layersOf = (t: Task): VarLayer[] => varLayers(t, context.play, context.vars);
  const layers = layersOf(task);
  const kw = task.keywords;

  const asyncR = resolveEntry(kw.async, 'async', layers);
  const pollR = resolveEntry(kw.poll, 'poll', layers);
  const retriesR = resolveEntry(kw.retries, 'retries', layers);
  const delayR = resolveEntry(kw.delay, 'delay', layers, delayIsFloat(version));
  const hasUntil = kw.until !== undefined && kw.until.value !== null && kw.until.value !== '';

  const invalid: ValueIssue[] = [];
  for (const [name, r] of [['async', asyncR], ['poll', pollR], ['retries', retriesR], ['delay', delayR]] as const) {
    if (r.kind === 'invalid') invalid.push({ keyword: name, span: kw[name]!.valueSpan, message: r.error });
  }
  const loop = loopCount(task, layersOf, ordered);
  const uses: VarUse[] = [
    ...[asyncR, pollR, retriesR, delayR].flatMap((r) => (r.kind === 'number' || r.kind === 'invalid' ? r.uses : [])),
    ...(loop.uses ?? []),
  ];
  const base = {
    uses, invalid, items: loop.count,
    dependsOn: uniq([...depends(asyncR), ...depends(pollR), ...depends(retriesR), ...depends(delayR), ...loop.dependsOn]),
  };

  if (invalid.length) {
    return {
      ...base, kind: kw.async ? 'async' : 'until', seconds: 0, unbounded: false, relevant: true,
      failsAtOnce: invalid[0].message, text: `⏱ fails at once: ${invalid[0].keyword} is not a number`,
      formula: invalid[0].message, attempts: 0, delay: null, perAttempt: { seconds: 0, unbounded: false, source: 'invalid value' },
    };
  }

  const asyncValue = numberOrNull(asyncR);
  const asyncSet = asyncValue === null || (asyncValue !== undefined && asyncValue !== 0);
  const action = task.action ?? task.module ?? '';
  const info = task.action ? lookupModule(task.action) : undefined;

  if (asyncSet && !supportsAsync(info ?? action, version)) {
    const message = unsupportedAsyncMessage(action, version);
    return {
      ...base, kind: 'async', seconds: 0, unbounded: false, relevant: true, failsAtOnce: message,
      text: `⏱ fails at once: ${message}`, formula: `${info?.name ?? action} does not support async (ansible-core ${version}); no retries, failed_when or until apply`,
      attempts: 1, delay: null, perAttempt: { seconds: 0, unbounded: false, source: 'unsupported async' },
      async: { limit: asyncValue ?? null, poll: null, mode: 'unknown', checks: null, waitSeconds: 0, killAfterSeconds: null, supported: false },
    };
  }
  if (asyncSet && kw.check_mode?.value === true && !coreAtLeast(version, '2.17')) {
    const message = 'check mode and async cannot be used on same task.';
    return {
      ...base, kind: 'async', seconds: 0, unbounded: false, relevant: true, failsAtOnce: message, text: `⏱ fails at once: ${message}`,
      formula: `check_mode with async is refused before ansible-core 2.17 (target ${version})`, attempts: 1, delay: null,
      perAttempt: { seconds: 0, unbounded: false, source: 'check mode + async' },
    };
  }

  // one execution
  let perAttempt: TaskBudget['perAttempt'];
  let asyncBudget: AsyncBudget | undefined;
  const formula: string[] = [];
  if (asyncSet) {
    const poll = pollR.kind === 'absent' ? effectivePoll(undefined) : numberOrNull(pollR) ?? null;
    if (asyncValue === null || poll === null) {
      asyncBudget = { limit: asyncValue ?? null, poll, mode: 'unknown', checks: null, waitSeconds: null, killAfterSeconds: asyncValue ? watchdogKillSeconds(asyncValue) : null, supported: true };
      perAttempt = { seconds: null, unbounded: false, source: 'async' };
    } else {
      const mode = asyncMode(asyncValue, poll) as 'poll' | 'launch';
      const checks = mode === 'poll' ? pollChecks(asyncValue, poll) : 0;
      const wait = checks * poll;
      asyncBudget = { limit: asyncValue, poll, mode, checks, waitSeconds: wait, killAfterSeconds: asyncValue > 0 ? watchdogKillSeconds(asyncValue) : null, supported: true };
      perAttempt = { seconds: wait, unbounded: false, source: mode === 'poll' ? `${plural(checks, 'check')} × ${formatSeconds(poll)}` : 'launch' };
      if (mode === 'poll') formula.push(`status checks = ⌈async ${formatNumber(asyncValue)} / poll ${formatNumber(poll)}⌉ = ${formatNumber(checks)}, each after a ${formatSeconds(poll)} sleep → ${formatSeconds(wait)}`);
      else formula.push(`poll ${formatNumber(poll)}${pollR.kind === 'absent' ? ' (default)' : ''}${asyncValue < 0 ? `, async ${asyncValue} < 0` : ''}: launched, not waited for`);
      if (asyncValue > 0) formula.push(`watchdog kills the job at 5·(1+⌈${formatNumber(asyncValue)}/5⌉) = ${formatSeconds(watchdogKillSeconds(asyncValue))}`);
    }
  } else {
    const bound = attemptBound(task, layers);
    perAttempt = { seconds: bound.seconds, unbounded: bound.unbounded, source: bound.source };
    base.dependsOn = uniq([...base.dependsOn, ...bound.dependsOn]);
  }

  // attempts and delay
  const retries = numberOrNull(retriesR);
  const attempts = retries === null ? null : untilAttempts(retries, hasUntil, version);
  const delayNumber = numberOrNull(delayR);
  const delay = delayNumber === null ? null : effectiveDelay(delayNumber, version);
  if (attempts !== null && retries !== null) {
    if (hasUntil) formula.push(`attempts = ${retries === undefined ? '1 + 3 (default retries with until)' : retries <= 0 ? `1 (retries ${retries} ≤ 0)` : `1 + retries ${retries}`} = ${attempts}`);
    else if (retries !== undefined) formula.push(coreAtLeast(version, '2.16') ? `retries without until (≥ 2.16: retried until not failed): attempts = ${attempts}` : `retries without until is ignored before 2.16: 1 attempt`);
  }
  if (attempts !== null && attempts > 1 && delay !== null) {
    formula.push(`delay = ${delayR.kind === 'absent' ? '5 (default)' : delayNumber != null && delayNumber < 0 ? `1 (delay ${delayNumber} < 0)` : formatSeconds(delay)}; sleeps = (${attempts} − 1) × ${formatSeconds(delay)} = ${formatSeconds(retryWaitSeconds(attempts, delay))}`);
  }

  // per item, then the loop
  const perItem = combine(attempts, perAttempt, delay);
  let seconds: number | null = perItem.seconds;
  let unbounded = perItem.unbounded;
  const pause = loopPause(task);
  if (loop.count === null) {
    if (seconds !== 0) seconds = null;
  } else if (seconds !== null) {
    seconds = seconds * loop.count + pause * Math.max(0, loop.count - 1);
  }
  if (loop.count === 0) {
    seconds = 0;
    unbounded = false;
  }
  if (loop.count !== null && loop.count !== 1) formula.push(`loop: ${formatNumber(loop.count)} items × per item${pause ? ` + ${formatNumber(loop.count - 1)} × pause ${formatSeconds(pause)}` : ''}`);

  // join
  let join: JoinBudget | undefined;
  const isJoin = info?.name === 'async_status' && task.args.mode?.value !== 'cleanup';
  if (isJoin) {
    const reference = findJoinedJob(task, ordered);
    let asyncLimit: number | null = null;
    if (reference?.launch) {
      const launchAsync = resolveEntry(reference.launch.keywords.async, 'async', layersOf(reference.launch));
      asyncLimit = launchAsync.kind === 'number' ? launchAsync.value : null;
      if (launchAsync.kind === 'unknown') base.dependsOn = uniq([...base.dependsOn, ...launchAsync.dependsOn]);
    }
    const waitSeconds = attempts !== null && delay !== null ? retryWaitSeconds(attempts, delay) : null;
    const covers = waitSeconds !== null && asyncLimit !== null ? waitSeconds >= asyncLimit : null;
    join = { reference, waitSeconds, asyncLimit, covers };
    if (asyncLimit !== null) formula.push(`joins ${reference!.registerName}${reference!.viaResults ? '.results' : ''} launched with async ${formatSeconds(asyncLimit)} → ${covers ? 'covered' : covers === false ? 'not covered' : 'unknown'}`);
  }

  const kind: BudgetKind = join ? 'join' : asyncBudget ? 'async' : (attempts ?? 2) > 1 || hasUntil || kw.retries ? 'until' : 'task';
  const relevant = kind !== 'task' || kw.timeout !== undefined;
  // every field written out (no spread): this runs for every task of every analysis and spreads are slow here
  const budget: TaskBudget = {
    kind, seconds: unbounded ? null : seconds, unbounded, relevant, text: '', formula: formula.join('; '),
    dependsOn: base.dependsOn, uses: base.uses, invalid: base.invalid, failsAtOnce: undefined,
    attempts, delay, perAttempt, items: base.items, async: asyncBudget, join,
  };
  budget.text = hintText(budget, task);
  return budget;
}

function loopPause(task: Task): number {
  const control = task.keywords.loop_control?.value;
  if (control && typeof control === 'object' && !Array.isArray(control)) {
    const p = (control as Record<string, unknown>).pause;
    if (typeof p === 'number' && p > 0) return p;
  }
  return 0;
}

/** attempts × per-attempt time + (attempts − 1) × delay */
function combine(attempts: number | null, perAttempt: TaskBudget['perAttempt'], delay: number | null): { seconds: number | null; unbounded: boolean } {
  if (perAttempt.unbounded) return { seconds: null, unbounded: true };
  if (attempts === null) return { seconds: null, unbounded: false };
  if (attempts <= 1) return { seconds: perAttempt.seconds, unbounded: false };
  if (perAttempt.seconds === null || delay === null) return { seconds: null, unbounded: false };
  return { seconds: attempts * perAttempt.seconds + retryWaitSeconds(attempts, delay), unbounded: false };
}

function itemsPrefix(items: number | null): string {
  return items !== null && items !== 1 ? `${formatNumber(items)} items × ` : '';
}

/** the hint, naming what it depends on whenever something stayed unknown (loop items, a variable) */
function hintText(b: TaskBudget, task: Task): string {
  const text = hintCore(b, task);
  const unknownNames = b.dependsOn.filter((n) => !b.uses.some((u) => u.name === n));
  return unknownNames.length && !text.includes('depends on') ? `${text} · ${dependsText(unknownNames)}` : text;
}

function hintCore(b: TaskBudget, task: Task): string {
  const tail = usesText(b.uses);
  const unknownNames = b.dependsOn.filter((n) => !b.uses.some((u) => u.name === n));
  const itemsUnknown = b.items === null ? ' per item' : '';
  if (b.kind === 'join' && b.join) {
    const j = b.join;
    let coverage = '';
    if (j.asyncLimit !== null && j.covers !== null) coverage = j.covers ? ` · covers async ${formatSeconds(j.asyncLimit)}` : ` · shorter than async ${formatSeconds(j.asyncLimit)}`;
    if (b.attempts === null || b.delay === null) return `⏱ ${dependsText(unknownNames)}${coverage}${tail}`;
    // a single check inspects a job rather than waiting for it: no coverage claim
    if (b.attempts <= 1) return `⏱ single status check (no until/retries)${tail}`;
    const core = `${itemsPrefix(b.items)}${formatNumber(b.attempts - 1)} × ${formatSeconds(b.delay)}`;
    const total = b.items === null ? j.waitSeconds! : b.seconds;
    const dep = unknownNames.length ? ` · ${dependsText(unknownNames)}` : '';
    return `⏱ ≤ ${formatSeconds(total ?? 0)}${itemsUnknown} (${core})${coverage}${dep}${tail}`;
  }
  if (b.kind === 'async' && b.async) {
    const a = b.async;
    const kill = a.killAfterSeconds ? `killed at ~${formatSeconds(a.killAfterSeconds)}` : '';
    if (a.mode === 'unknown') return `⏱ ${dependsText(unknownNames)}${tail}`;
    if (a.mode === 'launch') {
      const limit = a.limit !== null && a.limit > 0 ? ` · job limit ${formatSeconds(a.limit)}, ${kill}` : ' · never polled';
      return `⏱ launch only${limit}${tail}`;
    }
    const attemptsPart = b.attempts !== null && b.attempts > 1 ? ` × ${formatNumber(b.attempts)} launches (until re-runs the job)` : '';
    if (b.seconds === null) return `⏱ ${dependsText(unknownNames)}${tail}`;
    return `⏱ ≤ ${formatSeconds(b.seconds)}${itemsUnknown} (${itemsPrefix(b.items)}${plural(a.checks ?? 0, 'check')} × ${formatSeconds(a.poll ?? 0)}${attemptsPart}) · ${kill}${tail}`;
  }
  const p = b.perAttempt;
  if (b.kind === 'until') {
    if (b.attempts === null || b.delay === null) return `⏱ ${dependsText(unknownNames)}${tail}`;
    if (b.attempts <= 1) {
      const why = task.keywords.until ? 'retries ≤ 0' : 'retries without until is ignored before 2.16';
      return `⏱ 1 attempt (${why})${p.unbounded ? ` · ${p.source}` : ''}${tail}`;
    }
    const sleeps = `${formatNumber(b.attempts - 1)} × ${formatSeconds(b.delay)}`;
    if (p.unbounded) return `⏱ unbounded (${itemsPrefix(b.items)}${plural(b.attempts, 'attempt')}; ${p.source}; ${sleeps} between)${tail}`;
    if (b.seconds === null && b.items !== null) return `⏱ ${dependsText(unknownNames)}${tail}`;
    const total = b.items === null ? combine(b.attempts, p, b.delay).seconds ?? 0 : b.seconds ?? 0;
    const inner = p.seconds ? `${formatNumber(b.attempts)} × ${formatSeconds(p.seconds)} + ${sleeps}` : sleeps;
    return `⏱ ≤ ${formatSeconds(total)}${itemsUnknown} (${itemsPrefix(b.items)}${inner})${tail}`;
  }
  if (p.unbounded) return `⏱ unbounded (${p.source})`;
  if (b.seconds === null) return `⏱ ${dependsText(unknownNames)}${tail}`;
  return `⏱ ≤ ${formatSeconds(b.seconds)} (${itemsPrefix(b.items)}${p.source})${tail}`;
}
