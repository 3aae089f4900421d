/**
 * One play: its hosts (pattern ∩ --limit, minus hosts that failed earlier), serial batches, play vars and
 * vars_files, fact gathering, then pre_tasks, roles + tasks, post_tasks with handler flushes in between.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Play, Task } from '../playbook/model';
import { serialBatches } from './batches';
import type { RunContext } from './context';
import { asList, type PlayRun, type TaskFrame } from './frame';
import { hostStateOf } from './host-registry';
import type { HostState } from './host-state';
import { lazyVars } from '../vars/lazy';
import { flushHandlers, runAction, runTaskList } from './task-list';
import { truthy } from './results';

export type PlayOutcome = 'continue' | 'break';

function playVars(play: Play): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(play.vars)) out[key] = entry.value;
  return out;
}

export async function runPlay(ctx: RunContext, play: Play, index: number): Promise<PlayOutcome> {
  const vars = playVars(play);
  const baseVars = lazyVars([{ values: vars }, { values: ctx.extraVars }], (value, v) => ctx.templar.render(value, v));
  const name = play.name !== undefined ? String(ctx.templar.render(play.name, baseVars)) : hostsText(ctx, play, baseVars);
  const pattern = hostsText(ctx, play, baseVars);
  let names = ctx.inventory.selectHosts(pattern);
  if (ctx.options.limit) {
    const allowed = new Set(ctx.inventory.selectHosts(ctx.options.limit));
    names = names.filter((n) => allowed.has(n));
  }
  const hosts = names.map((n) => hostStateOf(ctx, n));
  const playId = `play-${index + 1}`;
  if (hosts.length === 0) {
    ctx.events.emit({ event: 'playbook_on_play_start', play: name, playId, hosts: [], position: positionOf(play) });
    ctx.events.emit({ event: 'warning', message: `Could not match supplied host pattern, ignoring: ${pattern}` });
    return 'continue';
  }
  const varsFilesVars = loadVarsFiles(ctx, play, baseVars);
  const run: PlayRun = {
    play,
    name,
    playId,
    vars,
    varsFilesVars,
    allHosts: hosts,
    batch: [],
    handlers: [],
    forks: ctx.options.forks,
    aborted: false,
  };
  const frame: TaskFrame = { run, parents: [], rescuable: false, handler: false };
  for (const handler of play.handlers) run.handlers.push({ task: handler, frame: { ...frame, handler: true } });
  const serial = play.keywords.serial ? ctx.templar.render(play.keywords.serial.value, baseVars) : undefined;
  const batches = serialBatches(hosts, serial);
  for (const batch of batches) {
    if (ctx.signal.aborted) return 'break';
    run.batch = batch;
    run.aborted = false;
    for (const host of batch) host.ended = false;
    ctx.events.emit({ event: 'playbook_on_play_start', play: name, playId, hosts: batch.map((h) => h.name), position: positionOf(play) });
    const failedBefore = new Set(batch.filter((h) => h.failed || h.unreachable));
    const active = batch.filter((h) => h.active);
    if (gatherFacts(ctx, play, baseVars) && active.length) await gather(ctx, active, frame);
    await runTaskList(ctx, play.preTasks, batch, frame);
    await flushHandlers(ctx, run);
    await runTaskList(ctx, play.roles, batch, frame);
    await runTaskList(ctx, play.tasks, batch, frame);
    await flushHandlers(ctx, run);
    await runTaskList(ctx, play.postTasks, batch, frame);
    await flushHandlers(ctx, run);
    // a batch where every host failed stops this play and every later one (Ansible's break_play)
    // (hosts that failed in an earlier play are carried in the batch but do not count)
    if (batch.filter((h) => !failedBefore.has(h) && (h.failed || h.unreachable)).length === batch.length) return 'break';
    if (run.aborted && play.keywords.max_fail_percentage) return 'break';
    if (run.aborted && batch.some((h) => h.failed || h.unreachable)) return 'break';
  }
  for (const host of hosts) host.ended = false;
  return 'continue';
}

function hostsText(ctx: RunContext, play: Play, vars: Record<string, unknown>): string {
  const value = play.hosts ? ctx.templar.render(play.hosts.value, vars) : '';
  return asList(value).map(String).join(',');
}


function positionOf(play: Play) {
  const { line, character } = play.file.position(play.span.start);
  return { file: play.file.path, line: line + 1, column: character + 1 };
}

function gatherFacts(ctx: RunContext, play: Play, vars: Record<string, unknown>): boolean {
  const entry = play.keywords.gather_facts;
  if (!entry) return true;
  return truthy(ctx.templar.render(entry.value, vars)) && !['no', 'false', 'off'].includes(String(entry.value).toLowerCase());
}

function loadVarsFiles(ctx: RunContext, play: Play, vars: Record<string, unknown>): Record<string, unknown> {
  const entry = play.keywords.vars_files;
  const out: Record<string, unknown> = {};
  if (!entry) return out;
  for (const item of asList(entry.value)) {
    // a list inside vars_files means "the first of these that exists"
    const options = asList(item).map((p) => String(ctx.templar.render(p, vars)));
    const found = options.map((p) => (isAbsolute(p) ? p : join(ctx.playbookDir, p))).find((p) => existsSync(p));
    if (!found) throw new PlaybookError(`vars file ${options.join(' or ')} was not found (looked beside ${ctx.playbookDir})`);
    const value = parseYaml(readFileSync(found, 'utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) Object.assign(out, value);
    else if (value !== null && value !== undefined) throw new PlaybookError(`${found}: vars files must contain a mapping`);
  }
  return out;
}

export class PlaybookError extends Error {}

/** the implicit "Gathering Facts" task, run as the setup module */
async function gather(ctx: RunContext, hosts: HostState[], frame: TaskFrame): Promise<void> {
  const play = frame.run.play;
  const task: Task = {
    kind: 'task',
    file: play.file,
    span: play.span,
    headSpan: play.headSpan,
    name: 'Gathering Facts',
    action: 'gather_facts',
    module: 'setup',
    args: {},
    // fact gathering runs whatever --tags/--skip-tags say, like Ansible's implicit `always` tag
    keywords: { tags: { key: 'tags', value: ['always'], keySpan: play.headSpan, valueSpan: play.headSpan, templated: false } },
    unknownKeys: [],
  };
  await runAction(ctx, task, hosts, frame, { handler: false });
}
