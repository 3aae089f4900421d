/**
 * The linear strategy over a list of tasks: each task on every active host of the batch (up to `forks` at
 * once) before the next; blocks with rescue/always, static imports, dynamic includes, roles, meta actions,
 * handlers, tags, run_once, any_errors_fatal and max_fail_percentage.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { RunEventInput, TaskResult } from '../events/types';
import { parseTaskFile } from '../playbook/parse';
import type { Task } from '../playbook/model';
import { formatLocation } from '../playbook/source';
import { coerceInt } from '../waits/int';
import type { RunContext } from './context';
import { asList, inheritedTags, inheritedWhens, keyword, mapping, type PlayRun, type RoleRun, type TaskFrame } from './frame';
import type { HostState } from './host-state';
import { loadRole } from './roles';
import { mapLimit } from './semaphore';
import { tagsSelected } from './tags';
import { displayName, renderKeyword, runTaskOnHost, type HostOutcome, type TaskRun } from './task-runner';
import { taskVars } from './task-vars';
import { truthy } from './results';

/** actions that run once for the whole batch (Ansible's BYPASS_HOST_LOOP) */
const BYPASS_HOST_LOOP = new Set(['pause', 'add_host']);

export async function runTaskList(ctx: RunContext, tasks: readonly Task[], hosts: readonly HostState[], frame: TaskFrame): Promise<void> {
  for (const task of tasks) {
    if (frame.run.aborted || ctx.signal.aborted) return;
    const active = hosts.filter((h) => h.active);
    if (active.length === 0) return;
    await runEntry(ctx, task, active, frame);
  }
}

function child(frame: TaskFrame, parent: Task, extra: Partial<TaskFrame> = {}): TaskFrame {
  return { ...frame, parents: [...frame.parents, parent], ...extra };
}

async function runEntry(ctx: RunContext, task: Task, hosts: HostState[], frame: TaskFrame): Promise<void> {
  switch (task.kind) {
    case 'block':
      return runBlock(ctx, task, hosts, frame);
    case 'import_tasks':
      return runTaskList(ctx, task.imported ?? [], hosts, child(frame, task));
    case 'include_tasks':
      return runInclude(ctx, task, hosts, frame);
    case 'role':
    case 'import_role':
    case 'include_role':
      return runRole(ctx, task, hosts, frame);
    case 'meta':
      return runMeta(ctx, task, hosts, frame);
    default:
      if (task.module === 'meta') return runMeta(ctx, task, hosts, frame);
      await runAction(ctx, task, hosts, frame);
  }
}

async function runBlock(ctx: RunContext, block: Task, hosts: HostState[], frame: TaskFrame): Promise<void> {
  const inner = child(frame, block);
  const hasRescue = (block.rescue?.length ?? 0) > 0;
  await runTaskList(ctx, block.block ?? [], hosts, { ...inner, rescuable: frame.rescuable || hasRescue });
  if (hasRescue) {
    const toRescue = hosts.filter((h) => h.failed && h.pendingRescue && !h.unreachable && !h.ended);
    for (const host of toRescue) {
      host.failed = false;
      ctx.stats.rescued(host.name);
      host.hostVars.ansible_failed_task = host.pendingRescue!.task;
      host.hostVars.ansible_failed_result = host.pendingRescue!.result;
      host.pendingRescue = undefined;
    }
    if (toRescue.length && !frame.run.aborted) await runTaskList(ctx, block.rescue ?? [], toRescue, inner);
  }
  if ((block.always?.length ?? 0) > 0 && !frame.run.aborted) {
    const forAlways = hosts.filter((h) => !h.unreachable && !h.ended);
    const failedBefore = forAlways.filter((h) => h.failed);
    for (const host of failedBefore) host.failed = false;
    await runTaskList(ctx, block.always ?? [], forAlways, inner);
    for (const host of failedBefore) if (!host.unreachable) host.failed = true;
  }
}

function taskPath(task: Task): string {
  const { line } = task.file.position(task.span.start);
  return `${task.file.path}:${line + 1}`;
}

function literalNumber(task: Task, frame: TaskFrame, name: string): number | undefined {
  const entry = keyword(task, frame, name, false);
  if (!entry || entry.templated) return undefined;
  const parsed = coerceInt(entry.value, name);
  return parsed.ok ? parsed.value : undefined;
}

function emitTaskStart(ctx: RunContext, run: TaskRun, handler: boolean): void {
  const { task, frame } = run;
  const { line, character } = task.file.position(task.span.start);
  ctx.events.emit({
    event: handler ? 'playbook_on_handler_task_start' : 'playbook_on_task_start',
    play: frame.run.name,
    playId: frame.run.playId,
    task: run.name,
    taskId: run.taskId,
    action: task.module ?? task.action ?? 'meta',
    task_path: taskPath(task),
    position: { file: task.file.path, line: line + 1, column: character + 1 },
    async: literalNumber(task, frame, 'async'),
    poll: literalNumber(task, frame, 'poll'),
    retries: literalNumber(task, frame, 'retries'),
    delay: literalNumber(task, frame, 'delay'),
    hasUntil: task.keywords.until ? true : undefined,
  } as RunEventInput);
}

export async function runAction(ctx: RunContext, task: Task, hosts: HostState[], frame: TaskFrame, options: { handler?: boolean } = {}): Promise<HostOutcome[]> {
  if (!options.handler && !tagsSelected(inheritedTags(task, frame), ctx.options.tags, ctx.options.skipTags)) return [];
  const first = hosts[0];
  const firstVars = taskVars(ctx, first, task, frame);
  const run: TaskRun = { task, frame, taskId: ctx.nextTaskId(), name: templatedName(ctx, task, firstVars) };
  emitTaskStart(ctx, run, Boolean(options.handler));
  let runOnceKeyword = false;
  try {
    runOnceKeyword = truthy(renderKeyword(ctx, task, frame, 'run_once', firstVars, false));
  } catch {
    runOnceKeyword = false;
  }
  // an action that bypasses the host loop runs on the first host only, but (unlike run_once) its result is
  // registered for that host alone
  const runOnce = runOnceKeyword || BYPASS_HOST_LOOP.has(task.module ?? '');
  const targets = runOnce ? [first] : hosts;
  let limit = frame.run.forks;
  const throttle = keyword(task, frame, 'throttle', false);
  if (throttle) {
    const n = Number(ctx.templar.render(throttle.value, firstVars));
    if (Number.isFinite(n) && n > 0) limit = Math.min(limit, n);
  }
  const outcomes = await mapLimit(targets, limit, async (host) => {
    const outcome = await runTaskOnHost(ctx, run, host);
    account(ctx, run, outcome);
    return outcome;
  });
  if (runOnceKeyword) shareRunOnceResult(task, outcomes[0], hosts);
  checkFatal(ctx, task, frame, outcomes, hosts);
  return outcomes;
}

/** run_once: the one result is registered (and its facts set) for every host of the batch */
function shareRunOnceResult(task: Task, outcome: HostOutcome | undefined, hosts: HostState[]): void {
  if (!outcome) return;
  const register = task.keywords.register?.value as string | undefined;
  for (const host of hosts) {
    if (host === outcome.host) continue;
    if (register) host.hostVars[register] = outcome.host.hostVars[register];
    if (outcome.status === 'ok' && outcome.result.ansible_facts && typeof outcome.result.ansible_facts === 'object') {
      if (task.module === 'set_fact') Object.assign(host.hostVars, outcome.result.ansible_facts);
      else host.mergeFacts(outcome.result.ansible_facts as Record<string, unknown>);
    }
  }
}

function account(ctx: RunContext, run: TaskRun, outcome: HostOutcome): void {
  const { host, status, changed, ignored } = outcome;
  switch (status) {
    case 'ok':
      ctx.stats.ok(host.name, changed);
      if (changed) notify(ctx, run, host);
      break;
    case 'skipped':
      ctx.stats.skipped(host.name);
      break;
    case 'failed':
      if (ignored) ctx.stats.ignored(host.name, changed);
      else if (run.frame.rescuable) {
        host.failed = true;
        host.pendingRescue = { task: failedTaskInfo(run), result: outcome.result };
      } else {
        ctx.stats.failed(host.name);
        host.failed = true;
      }
      break;
    case 'unreachable':
      if (ignored) ctx.stats.ignored(host.name, changed);
      else {
        ctx.stats.unreachable(host.name);
        host.unreachable = true;
      }
      break;
  }
}

function failedTaskInfo(run: TaskRun): TaskResult {
  return { name: run.task.name ?? '', action: run.task.module ?? run.task.action ?? '', _path: taskPath(run.task) };
}

function notify(ctx: RunContext, run: TaskRun, host: HostState): void {
  const entry = run.task.keywords.notify;
  if (!entry) return;
  const vars = taskVars(ctx, host, run.task, run.frame);
  for (const name of asList(ctx.templar.render(entry.value, vars))) if (name !== null && name !== undefined) host.notified.add(String(name));
}

/** any_errors_fatal and max_fail_percentage: stop the play for every host when tripped */
function checkFatal(ctx: RunContext, task: Task, frame: TaskFrame, outcomes: HostOutcome[], hosts: HostState[]): void {
  const hardFailures = outcomes.filter((o) => (o.status === 'failed' || o.status === 'unreachable') && !o.ignored);
  if (hardFailures.length === 0) return;
  const anyErrorsFatal = keyword(task, frame, 'any_errors_fatal');
  if (anyErrorsFatal && truthy(anyErrorsFatal.value) && !frame.rescuable) {
    for (const host of hosts) if (host.active) host.ended = true;
    frame.run.aborted = true;
    return;
  }
  const maxFail = frame.run.play.keywords.max_fail_percentage;
  if (maxFail && maxFail.value !== null && maxFail.value !== undefined) {
    const batch = frame.run.batch;
    const failed = batch.filter((h) => h.failed || h.unreachable).length;
    if (batch.length > 0 && (failed / batch.length) * 100 > Number(maxFail.value)) {
      frame.run.aborted = true;
    }
  }
}

async function runInclude(ctx: RunContext, task: Task, hosts: HostState[], frame: TaskFrame): Promise<void> {
  if (!tagsSelected(inheritedTags(task, frame), ctx.options.tags, ctx.options.skipTags)) return;
  // group hosts by the file they include (the path may be templated per host)
  const byFile = new Map<string, HostState[]>();
  for (const host of hosts) {
    const vars = taskVars(ctx, host, task, frame);
    const whens = inheritedWhens(task, frame);
    try {
      if (whens.length && !ctx.templar.conditional(whens, vars)) continue;
      const raw = task.target?.value ?? task.freeForm?.value ?? (task.args.file?.value as string | undefined);
      const path = String(ctx.templar.render(raw, vars));
      const list = byFile.get(path) ?? [];
      list.push(host);
      byFile.set(path, list);
    } catch (error) {
      failHost(ctx, task, frame, host, (error as Error).message);
    }
  }
  for (const [path, group] of byFile) {
    const resolved = resolveIncludePath(path, task, frame, ctx);
    if (!resolved) {
      for (const host of group) failHost(ctx, task, frame, host, `Could not find or access '${path}' on the Ansible Controller.`);
      continue;
    }
    const parsed = parseTaskFile(resolved, readFileSync(resolved, 'utf8'), { readFile: readText, playbookDir: ctx.playbookDir, role: frame.role?.name });
    const errors = parsed.problems.filter((p) => p.severity === 'error');
    if (errors.length) {
      for (const host of group) failHost(ctx, task, frame, host, errors.map((p) => `${formatLocation(p.file, p.span.start)}: ${p.message}`).join('\n'));
      continue;
    }
    ctx.events.emit({ event: 'playbook_on_include', file: resolved, hosts: group.map((h) => h.name) });
    const includeVars = { ...(frame.includeVars ?? {}), ...mapping(task.keywords.vars?.value) };
    await runTaskList(ctx, parsed.tasks, group, child(frame, task, { includeVars }));
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function resolveIncludePath(path: string, task: Task, frame: TaskFrame, ctx: RunContext): string | undefined {
  if (isAbsolute(path)) return existsSync(path) ? path : undefined;
  const candidates = [join(dirname(task.file.path), path)];
  if (frame.role) candidates.push(join(frame.role.dir, 'tasks', path));
  candidates.push(join(ctx.playbookDir, path));
  return candidates.map((c) => resolve(c)).find((c) => existsSync(c));
}

function failHost(ctx: RunContext, task: Task, frame: TaskFrame, host: HostState, msg: string): void {
  const run: TaskRun = { task, frame, taskId: ctx.nextTaskId(), name: displayName(task) };
  ctx.events.emit({ event: 'runner_on_failed', taskId: run.taskId, task: run.name, host: host.name, result: { failed: true, changed: false, msg } } as RunEventInput);
  account(ctx, run, { host, status: 'failed', changed: false, ignored: false, result: { failed: true, msg } });
}

async function runRole(ctx: RunContext, task: Task, hosts: HostState[], frame: TaskFrame): Promise<void> {
  let role: RoleRun;
  try {
    role = loadRole(ctx, task, frame);
  } catch (error) {
    for (const host of hosts) failHost(ctx, task, frame, host, (error as Error).message);
    return;
  }
  if (task.kind === 'include_role') {
    const whens = inheritedWhens(task, frame);
    hosts = hosts.filter((host) => !whens.length || ctx.templar.conditional(whens, taskVars(ctx, host, task, frame)));
  }
  const roleFrame = child(frame, task, { role });
  for (const handler of task.handlers ?? []) frame.run.handlers.push({ task: handler, frame: { ...roleFrame, handler: true, rescuable: false, parents: [] } });
  await runTaskList(ctx, task.imported ?? [], hosts, roleFrame);
}

async function runMeta(ctx: RunContext, task: Task, hosts: HostState[], frame: TaskFrame): Promise<void> {
  const action = String(task.freeForm?.value ?? task.args._raw_params?.value ?? task.target?.value ?? '').trim();
  switch (action) {
    case 'flush_handlers':
      return flushHandlers(ctx, frame.run);
    case 'end_play':
      for (const host of frame.run.allHosts) host.ended = true;
      frame.run.aborted = true;
      return;
    case 'end_host':
    case 'end_batch': {
      const whens = inheritedWhens(task, frame);
      for (const host of hosts) if (!whens.length || ctx.templar.conditional(whens, taskVars(ctx, host, task, frame))) host.ended = true;
      return;
    }
    case 'clear_facts':
      for (const host of hosts) host.facts = {};
      return;
    case 'clear_host_errors':
      for (const host of frame.run.allHosts) host.failed = false;
      return;
    case 'noop':
    case 'refresh_inventory':
    case 'reset_connection':
    case '':
      return;
    default:
      for (const host of hosts) failHost(ctx, task, frame, host, `invalid meta action requested: ${action}`);
  }
}

/** runs notified handlers in definition order, once per host; handlers may notify later handlers */
export async function flushHandlers(ctx: RunContext, run: PlayRun): Promise<void> {
  for (let round = 0; round < 16; round++) {
    let ranAny = false;
    for (const { task, frame } of run.handlers) {
      const names = [task.name, ...asList(task.keywords.listen?.value).map(String)].filter((n): n is string => Boolean(n));
      const hosts = run.batch.filter((h) => h.active && names.some((n) => h.notified.has(n)));
      if (hosts.length === 0) continue;
      for (const host of hosts) for (const n of names) host.notified.delete(n);
      ranAny = true;
      if (run.aborted || ctx.signal.aborted) return;
      await runAction(ctx, task, hosts, { ...frame, run, handler: true }, { handler: true });
    }
    if (!ranAny) break;
  }
  for (const host of run.batch) host.notified.clear();
}

/** task names are templated for display (with the first host's variables); a broken template shows as written */
function templatedName(ctx: RunContext, task: Task, vars: Record<string, unknown>): string {
  const name = displayName(task);
  if (!task.name) return name;
  try {
    const rendered = ctx.templar.render(task.name, vars);
    return typeof rendered === 'string' ? rendered : String(rendered);
  } catch {
    return name;
  }
}
