/**
 * One task on one host, the way ansible-core's TaskExecutor does it: `when`, loops (one execution per item),
 * until/retries/delay with exact attempt counting, the module (or the async job), changed_when, failed_when,
 * and the result dict that `register` stores. Emits the per-host events; the caller counts the recap.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { UnreachableError } from '../connection/types';
import { becomeFromVars, ConnectionVarsError } from '../connection/from-vars';
import type { Connection } from '../connection/types';
import type { RunEventInput, TaskResult } from '../events/types';
import { supportsAsync, unsupportedAsyncMessage } from '../modules/catalog';
import { unknownModuleMessage } from '../modules/registry';
import type { ModuleContext, ModuleImplementation } from '../modules/types';
import type { Task } from '../playbook/model';
import { coerceFloat, coerceInt } from '../waits/int';
import { effectiveDelay, untilAttempts, delayIsFloat } from '../waits/attempts';
import { runAsyncTask } from '../async';
import { OMIT_TOKEN } from '../vars/magic';
import type { RunContext } from './context';
import { errorContext } from './error-context';
import { asList, inheritedWhens, keyword, mapping, type TaskFrame } from './frame';
import type { HostState } from './host-state';
import { ActionRaised } from '../modules/action-error';
import { censor, isChanged, isFailed, isSkipped, isUnreachable, registeredValue, truthy } from './results';
import { sleep } from './semaphore';
import { ConditionalError, templateErrorMessage } from './templar';
import { TemplateError } from '../template';
import { coreAtLeast } from '../playbook/core-version';
import { taskVars } from './task-vars';
import { resolveConnection, type Target } from './connections';
import { loopItems } from './loops';
import { applyInventoryChange } from './dynamic-inventory';

export type HostStatus = 'ok' | 'failed' | 'skipped' | 'unreachable';

export interface HostOutcome {
  host: HostState;
  status: HostStatus;
  changed: boolean;
  ignored: boolean;
  result: TaskResult;
}

export interface TaskRun {
  task: Task;
  frame: TaskFrame;
  taskId: string;
  name: string;
}

/** a failure that bypasses failed_when/until/changed_when (Ansible's AnsibleActionFail before the retry loop) */
class ActionFailure extends Error {
  constructor(readonly result: TaskResult) {
    super(String(result.msg));
  }
}

function actionName(task: Task): string {
  return task.action ?? task.module ?? 'meta';
}

export function displayName(task: Task): string {
  return task.name ?? actionName(task);
}

export async function runTaskOnHost(ctx: RunContext, run: TaskRun, host: HostState): Promise<HostOutcome> {
  const { task, frame } = run;
  const emitBase = { taskId: run.taskId, task: run.name, host: host.name };
  const emit = (e: Record<string, unknown>) => ctx.events.emit({ ...emitBase, ...e } as RunEventInput);
  const vars = taskVars(ctx, host, task, frame);
  const noLog = truthy(renderKeyword(ctx, task, frame, 'no_log', vars, false));
  const ignoreErrors = safeBool(() => renderKeyword(ctx, task, frame, 'ignore_errors', vars, false));
  const ignoreUnreachable = safeBool(() => renderKeyword(ctx, task, frame, 'ignore_unreachable', vars, false));
  const register = task.keywords.register?.value as string | undefined;
  const diffMode = taskDiffMode(ctx, task, frame, vars);

  let target: Target | undefined;
  let delegatedTo: string | undefined;
  const finish = (result: TaskResult): HostOutcome => {
    const unreachable = isUnreachable(result);
    const failed = !unreachable && isFailed(result);
    const skipped = !failed && !unreachable && isSkipped(result);
    const changed = isChanged(result);
    const status: HostStatus = unreachable ? 'unreachable' : failed ? 'failed' : skipped ? 'skipped' : 'ok';
    const ignored = (failed && ignoreErrors) || (unreachable && ignoreUnreachable);
    if (register) host.hostVars[register] = registeredValue(result);
    if (status !== 'failed' && status !== 'unreachable' && result.ansible_facts && typeof result.ansible_facts === 'object') {
      applyFacts(host, result, task);
    }
    const shown = noLog ? censor(result) : result;
    if (status === 'ok' && changed && diffMode && !noLog && 'diff' in result && !Array.isArray(result.results)) emit({ event: 'runner_on_file_diff', diff: result.diff });
    const event = unreachable ? 'runner_on_unreachable' : failed ? 'runner_on_failed' : skipped ? 'runner_on_skipped' : 'runner_on_ok';
    emit({ event, result: shown, changed, ignoreErrors: ignored || undefined, delegatedTo, loop: Array.isArray(result.results) || undefined });
    return { host, status, changed, ignored, result };
  };

  emit({ event: 'runner_on_start' });
  try {
    // when (with the block's whens) before anything else; a loop evaluates it per item instead
    const hasLoop = Boolean(task.keywords.loop || Object.keys(task.keywords).some((k) => k.startsWith('with_')));
    const whens = inheritedWhens(task, frame);
    if (!hasLoop && whens.length && !ctx.templar.conditional(whens, vars)) return finish(skippedResult(whens, ctx));

    const delegate = keyword(task, frame, 'delegate_to', false)?.value ?? (task.delegatedToLocalhost ? 'localhost' : undefined);
    if (delegate !== undefined && delegate !== null) {
      const name = String(ctx.templar.render(delegate, vars));
      target = resolveConnection(ctx, name, vars, true);
      delegatedTo = target.display;
    }

    if (!hasLoop) {
      const result = await runWithRetries(ctx, run, host, vars, {}, () => target ?? resolveConnection(ctx, host.name, vars, false), emitBase, delegatedTo, noLog);
      return finish(result);
    }

    const items = loopItems(ctx, task, vars);
    // label is rendered per item (it usually names the item); the other settings once
    const loopControlRaw = mapping(task.keywords.loop_control?.value);
    const loopControl: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(loopControlRaw)) loopControl[key] = key === 'label' ? value : ctx.templar.render(value, vars);
    const loopVar = String(loopControl.loop_var ?? 'item');
    const indexVar = loopControl.index_var === undefined ? undefined : String(loopControl.index_var);
    const pause = Number(loopControl.pause ?? 0) || 0;
    const results: TaskResult[] = [];
    for (let index = 0; index < items.length; index++) {
      if (ctx.signal.aborted) break;
      const item = items[index];
      const itemExtra: Record<string, unknown> = {
        [loopVar]: item,
        ansible_loop_var: loopVar,
        ansible_loop: { index: index + 1, index0: index, first: index === 0, last: index === items.length - 1, length: items.length, revindex: items.length - index, revindex0: items.length - index - 1, allitems: items },
      };
      if (indexVar) {
        itemExtra[indexVar] = index;
        itemExtra.ansible_index_var = indexVar;
      }
      const itemVars = taskVars(ctx, host, task, frame, itemExtra);
      let result: TaskResult;
      if (whens.length && !ctx.templar.conditional(whens, itemVars)) {
        result = skippedResult(whens, ctx);
      } else {
        result = await runWithRetries(ctx, run, host, itemVars, itemExtra, () => target ?? resolveConnection(ctx, host.name, itemVars, false), emitBase, delegatedTo, noLog);
      }
      result[loopVar] = item;
      result.ansible_loop_var = loopVar;
      if (indexVar) {
        result[indexVar] = index;
        result.ansible_index_var = indexVar;
      }
      if (loopControl.label !== undefined) result._ansible_item_label = ctx.templar.render(loopControl.label, itemVars);
      results.push(result);
      const shown = noLog ? censor(result) : result;
      const label = loopControl.label !== undefined ? result._ansible_item_label : item;
      const event = isFailed(result) || isUnreachable(result) ? 'runner_item_on_failed' : isSkipped(result) ? 'runner_item_on_skipped' : 'runner_item_on_ok';
      if (event === 'runner_item_on_ok' && isChanged(result) && diffMode && !noLog && 'diff' in result) emit({ event: 'runner_on_file_diff', diff: result.diff });
      emit({ event, result: noLog ? { ...shown, _ansible_item_label: label } : shown, item: noLog ? label : label, changed: isChanged(result), delegatedTo });
      if (pause > 0 && index < items.length - 1) await sleep(pause, ctx.signal);
    }
    return finish(aggregateLoop(results));
  } catch (error) {
    if (error instanceof ActionFailure) return finish(error.result);
    if (error instanceof ActionRaised) return finish({ failed: true, msg: error.message });
    if (error instanceof UnreachableError) return finish(unreachableResult(error));
    if (error instanceof ConditionalError) return finish({ failed: true, msg: withContext(error.message, task) });
    if (error instanceof ConnectionVarsError) return finish({ failed: true, changed: false, msg: error.message });
    return finish({ failed: true, msg: withContext(templateErrorMessage(error), task) });
  }
}

function withContext(message: string, task: Task): string {
  const context = errorContext(task);
  return context ? `${message}\n\n${context}` : message;
}

export function unreachableResult(error: Error): TaskResult {
  return { changed: false, msg: error.message, unreachable: true };
}

function skippedResult(whens: unknown[], ctx: RunContext): TaskResult {
  const result: TaskResult = { changed: false, skip_reason: 'Conditional result was False', skipped: true };
  if (!ctx.options.coreVersion.startsWith('2.14')) result.false_condition = whens[whens.length - 1];
  return result;
}

function safeBool(fn: () => unknown): boolean {
  try {
    return truthy(fn());
  } catch {
    return false;
  }
}

export function renderKeyword(ctx: RunContext, task: Task, frame: TaskFrame, name: string, vars: Record<string, unknown>, fallback: unknown): unknown {
  const entry = keyword(task, frame, name);
  if (!entry || entry.value === null || entry.value === undefined) return fallback;
  const value = ctx.templar.render(entry.value, vars);
  if (typeof value === 'string') {
    const t = value.trim().toLowerCase();
    if (['yes', 'true', 'on', '1', 'y'].includes(t)) return true;
    if (['no', 'false', 'off', '0', 'n', ''].includes(t)) return false;
  }
  return value;
}

function applyFacts(host: HostState, result: TaskResult, task: Task): void {
  const facts = result.ansible_facts as Record<string, unknown>;
  if (task.module === 'set_fact' || task.module === 'include_vars') Object.assign(host.hostVars, facts);
  else host.mergeFacts(facts);
}

function aggregateLoop(results: TaskResult[]): TaskResult {
  const out: TaskResult = { changed: results.some((r) => isChanged(r)), results };
  const anyFailed = results.some((r) => isFailed(r) || isUnreachable(r));
  const allSkipped = results.length > 0 && results.every((r) => isSkipped(r));
  if (anyFailed) {
    out.failed = true;
    out.msg = 'One or more items failed';
    out.skipped = false;
  } else if (allSkipped || results.length === 0) {
    out.msg = results.length === 0 ? 'No items in the list' : 'All items skipped';
    out.skipped = true;
  } else {
    out.msg = 'All items completed';
    out.skipped = false;
  }
  return out;
}

interface EmitBase {
  taskId: string;
  task: string;
  host: string;
}

/** int() of a task keyword after templating; an invalid value fails the task before it runs */
function intKeyword(ctx: RunContext, task: Task, frame: TaskFrame, name: string, vars: Record<string, unknown>, asFloat = false): number | undefined {
  const entry = keyword(task, frame, name, false);
  if (!entry || entry.value === null || entry.value === undefined) return undefined;
  const value = ctx.templar.render(entry.value, vars);
  const parsed = asFloat ? coerceFloat(value, name) : coerceInt(value, name);
  if (!parsed.ok) throw new ActionFailure({ failed: true, msg: withContext(parsed.error, task) });
  return parsed.value;
}

async function runWithRetries(
  ctx: RunContext,
  run: TaskRun,
  host: HostState,
  vars: Record<string, unknown>,
  itemExtra: Record<string, unknown>,
  targetOf: () => Target,
  emitBase: EmitBase,
  delegatedTo: string | undefined,
  noLog: boolean,
): Promise<TaskResult> {
  const { task, frame } = run;
  const version = ctx.options.coreVersion;
  const untilEntry = task.keywords.until;
  const hasUntil = Boolean(untilEntry && untilEntry.value !== null && untilEntry.value !== undefined);
  const retries = intKeyword(ctx, task, frame, 'retries', vars);
  const delay = effectiveDelay(intKeyword(ctx, task, frame, 'delay', vars, delayIsFloat(version)), version);
  const executions = untilAttempts(retries, hasUntil, version);
  const register = task.keywords.register?.value as string | undefined;
  const changedWhen = task.keywords.changed_when;
  const failedWhen = task.keywords.failed_when;

  let result: TaskResult = {};
  // unsupported async fails before anything runs (and before the module is even looked up), as in Ansible, where the
  // action returns that failure (AnsibleActionFail), so it has `changed` and the empty `exception` (truth case 12)
  const asyncSeconds = intKeyword(ctx, task, frame, 'async', vars) ?? 0;
  if (asyncSeconds !== 0 && !supportsAsync(actionName(task), version)) {
    throw new ActionFailure({ changed: false, exception: 'NoneType: None\n', failed: true, msg: unsupportedAsyncMessage(actionName(task), version) });
  }
  for (let attempt = 1; attempt <= executions; attempt++) {
    const module = resolveModule(ctx, task);
    const target = targetOf();
    const moduleContext = await buildModuleContext(ctx, run, host, vars, target.connection);
    if (target.asyncDir !== undefined) moduleContext.asyncDir = target.asyncDir;
    result = await executeOnce(ctx, run, module, moduleContext, target, host);
    applyInventoryChange(ctx, host, result);
    if (!('failed' in result)) result.failed = 'rc' in result && result.rc !== 0 && result.rc !== '0';
    if (!('changed' in result)) result.changed = false;
    if (hasUntil || executions > 1) result.attempts = attempt;
    if (isUnreachable(result)) return result;

    const resultVars = register ? taskVars(ctx, host, task, frame, { ...itemExtra, [register]: registeredValue(result) }) : vars;
    if (changedWhen && changedWhen.value !== null && changedWhen.value !== undefined) {
      try {
        result.changed = ctx.templar.conditional(changedWhen.value, resultVars);
      } catch (error) {
        result.failed = true;
        result.msg = (error as Error).message;
      }
    }
    if (failedWhen && failedWhen.value !== null && failedWhen.value !== undefined) {
      let verdict: unknown;
      try {
        verdict = ctx.templar.conditional(failedWhen.value, resultVars);
      } catch (error) {
        verdict = (error as Error).message;
      }
      result.failed_when_result = verdict;
      result.failed = truthy(verdict);
    }
    if (executions <= 1 && !hasUntil) break;
    const checkVars = register ? taskVars(ctx, host, task, frame, { ...itemExtra, [register]: registeredValue(result) }) : vars;
    let done: boolean;
    if (hasUntil) {
      try {
        done = ctx.templar.conditional(untilEntry!.value, checkVars);
      } catch (error) {
        return { failed: true, msg: (error as Error).message };
      }
    } else {
      done = !isFailed(result);
    }
    if (done) break;
    if (attempt < executions) {
      const shown = noLog ? censor(result) : result;
      ctx.events.emit({ ...emitBase, event: 'runner_retry', attempts: attempt, retries: executions, delay, result: { ...shown, attempts: attempt, retries: executions }, delegatedTo } as RunEventInput);
      if (module.waitBeforeRetry) await module.waitBeforeRetry(moduleContext, delay);
      else await sleep(delay, ctx.signal);
      if (ctx.signal.aborted) break;
    } else if (executions > 1) {
      result.attempts = attempt - 1;
      result.failed = true;
    }
  }
  return result;
}

function resolveModule(ctx: RunContext, task: Task): ModuleImplementation {
  const name = actionName(task);
  const module = ctx.modules.resolve(name);
  if (!module) throw new ActionFailure({ failed: true, changed: false, msg: unknownModuleMessage(name) });
  return module;
}

async function buildModuleContext(ctx: RunContext, run: TaskRun, host: HostState, vars: Record<string, unknown>, connection: Connection): Promise<ModuleContext> {
  const { task, frame } = run;
  const args = renderArgs(ctx, task, vars);
  const environment = renderEnvironment(ctx, task, frame, vars);
  const checkModeKw = renderKeyword(ctx, task, frame, 'check_mode', vars, undefined);
  return {
    connection,
    host: host.name,
    args,
    task,
    taskId: run.taskId,
    vars,
    environment,
    checkMode: checkModeKw === undefined ? ctx.options.check : truthy(checkModeKw),
    diffMode: taskDiffMode(ctx, task, frame, vars),
    coreVersion: ctx.options.coreVersion,
    baseDir: frame.role?.dir ?? ctx.playbookDir,
    roleDir: frame.role?.dir,
    emit: (event) => ctx.events.emit(event),
    signal: ctx.signal,
    instantJoins: ctx.options.instantJoins,
    render: (value) => ctx.templar.render(value, vars),
    conditional: (condition) => ctx.templar.conditional(condition, vars),
    findFile: (name, kind) => findControllerFile(ctx, frame, task, name, kind),
    verbosity: ctx.options.verbosity ?? 0,
    readInput: ctx.options.pauseInput ? (echo) => ctx.options.pauseInput!(echo, ctx.signal) : undefined,
  };
}

/** --diff, overridden by the `diff:` keyword of the task or anything around it */
function taskDiffMode(ctx: RunContext, task: Task, frame: TaskFrame, vars: Record<string, unknown>): boolean {
  try {
    const value = renderKeyword(ctx, task, frame, 'diff', vars, undefined);
    return value === undefined ? ctx.options.diff : truthy(value);
  } catch {
    return ctx.options.diff;
  }
}

function renderArgs(ctx: RunContext, task: Task, vars: Record<string, unknown>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(task.args)) raw[key] = entry.value;
  if (task.freeForm && raw._raw_params === undefined) raw._raw_params = task.freeForm.value;
  let rendered: Record<string, unknown>;
  try {
    rendered = ctx.templar.render(raw, vars) as Record<string, unknown>;
  } catch (error) {
    const text = templateErrorMessage(error);
    const undefinedVar = error instanceof TemplateError && error.kind === 'undefined';
    throw new ActionFailure({ failed: true, msg: withContext(undefinedVar ? `The task includes an option with an undefined variable. The error was: ${text}` : text, task) });
  }
  for (const [key, value] of Object.entries(rendered)) if (value === OMIT_TOKEN) delete rendered[key];
  return rendered;
}

function renderEnvironment(ctx: RunContext, task: Task, frame: TaskFrame, vars: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const layers = [frame.run.play.keywords.environment, ...frame.parents.map((p) => p.keywords.environment), task.keywords.environment];
  for (const entry of layers) {
    if (!entry) continue;
    for (const value of asList(entry.value)) {
      const rendered = mapping(ctx.templar.render(value, vars));
      for (const [k, v] of Object.entries(rendered)) out[k] = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
  }
  return out;
}

async function executeOnce(ctx: RunContext, run: TaskRun, module: ModuleImplementation, moduleContext: ModuleContext, target: Target, host: HostState): Promise<TaskResult> {
  const { task, frame } = run;
  const vars = moduleContext.vars;
  try {
    const asyncSeconds = intKeyword(ctx, task, frame, 'async', vars) ?? 0;
    if (asyncSeconds !== 0) {
      const name = actionName(task);
      if (moduleContext.checkMode && !coreAtLeast(ctx.options.coreVersion, '2.17')) {
        return { changed: false, failed: true, exception: 'NoneType: None\n', msg: 'check mode and async cannot be used on same task.' };
      }
      if (!supportsAsync(name, ctx.options.coreVersion)) throw new ActionFailure({ failed: true, msg: unsupportedAsyncMessage(name, ctx.options.coreVersion) });
      const script = module.remoteScript?.(moduleContext);
      if (script === undefined) {
        // a task only the controller-side module can do faithfully (e.g. lineinfile with backrefs): it runs
        // synchronously (said once per task and host)
        ctx.events.emit({ event: 'warning', message: `${name} runs synchronously in the bundled engine here (async: ${asyncSeconds} ignored on ${host.name}); use --engine ansible for a real async job` });
        const result = await module.run(moduleContext);
        // the fields a polled job's final result has, so `until: r.finished` and friends keep working
        const flag = coreAtLeast(ctx.options.coreVersion, '2.19') ? true : 1;
        return { ...result, finished: flag, started: flag };
      }
      const poll = intKeyword(ctx, task, frame, 'poll', vars) ?? 15;
      const become = becomeFromVars(vars);
      const asyncDir = target.asyncDir ?? String(vars.ansible_async_dir ?? '~/.ansible_async');
      const jobResult = await runAsyncTask({
        connection: target.connection,
        host: host.name,
        taskId: run.taskId,
        task: run.name,
        script,
        asyncSeconds,
        poll,
        asyncDir,
        environment: moduleContext.environment,
        become,
        register: task.keywords.register?.value as string | undefined,
        coreVersion: ctx.options.coreVersion,
        emit: (event) => ctx.events.emit(event),
        signal: ctx.signal,
        instantJoins: ctx.options.instantJoins,
      });
      const jid = jobResult.ansible_job_id ?? (jobResult.async_result as TaskResult | undefined)?.ansible_job_id;
      if (typeof jid === 'string') ctx.jobs.push({ connection: target.connection, asyncDir, jid, host: host.name, taskId: run.taskId, task: run.name });
      return jobResult;
    }
    const timeout = intKeyword(ctx, task, frame, 'timeout', vars) ?? 0;
    if (timeout > 0) return await withTimeout(module, moduleContext, timeout, actionName(task));
    return await module.run(moduleContext);
  } catch (error) {
    if (error instanceof ActionFailure || error instanceof ActionRaised || error instanceof UnreachableError) throw error;
    if (ctx.signal.aborted) return { failed: true, changed: false, msg: 'cancelled' };
    return { failed: true, changed: false, msg: (error as Error)?.message ?? String(error) };
  }
}

/** Ansible's search path for `src:` files: the role's files/ or templates/, the task file's dir, the playbook's */
function findControllerFile(ctx: RunContext, frame: TaskFrame, task: Task, name: string, kind: 'files' | 'templates' | 'vars'): string | undefined {
  if (isAbsolute(name)) return existsSync(name) ? name : undefined;
  const dirs: string[] = [];
  if (frame.role) dirs.push(join(frame.role.dir, kind), frame.role.dir);
  dirs.push(join(dirname(task.file.path), kind), dirname(task.file.path), join(ctx.playbookDir, kind), ctx.playbookDir);
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** the task `timeout` keyword: the module's run() is abandoned (its command aborted) after `seconds` */
async function withTimeout(module: ModuleImplementation, context: ModuleContext, seconds: number, action: string): Promise<TaskResult> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(context.signal.reason);
  context.signal.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<TaskResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error('task timeout'));
      resolve({ changed: false, failed: true, msg: `The ${action} action failed to execute in the expected time frame (${seconds}) and was terminated` });
    }, seconds * 1000);
  });
  try {
    return await Promise.race([module.run({ ...context, signal: controller.signal }), expired]);
  } finally {
    clearTimeout(timer);
    context.signal.removeEventListener('abort', onAbort);
  }
}
