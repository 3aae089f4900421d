/**
 * Cross-task facts the async rules share: who registers what, which tasks launch fire-and-forget jobs,
 * which async_status tasks join (or clean up) which job. Built once per analysis.
 */
import type { Entry, Play, Playbook, Task } from '../../runtime/playbook/model';
import { resolveEntry, varLayers } from '../../runtime/waits/values';
import { allTasks, isActionTask, isLooped, type TaskRef } from './walk';
import { intValue } from './values';
import { supportsAsync } from '../../runtime/modules/catalog';

export interface JobLaunch {
  ref: TaskRef;
  /** register name holding the launch result */
  register?: string;
  /** async limit when known */
  asyncSeconds?: number;
  /** launched per loop item: job ids are in `<register>.results` */
  looped: boolean;
}

export interface JobReference {
  ref: TaskRef;
  jid: Entry;
  /** the register name the jid expression reads */
  register: string;
  /** true when reading `item.ansible_job_id` while looping over `<register>.results` */
  viaResults: boolean;
  /** true when reading `<register>.ansible_job_id` directly */
  direct: boolean;
  mode: 'status' | 'cleanup' | 'unknown';
}

export interface AnalysisFacts {
  tasks: TaskRef[];
  registers: Map<string, TaskRef[]>;
  launches: JobLaunch[];
  /** the launch a task is, by task (the joins look their launch up here instead of scanning `launches`) */
  launchOf: Map<TaskRef, JobLaunch>;
  jobRefs: JobReference[];
}

export function registerName(task: Task): string | undefined {
  const r = task.keywords.register;
  return r && typeof r.value === 'string' && !r.templated ? r.value.trim() : undefined;
}

export function moduleIs(task: Task, name: string): boolean {
  return task.module === name;
}

/**
 * A keyword as a number: literal, or a template the playbook resolves (`"{{ n }}"` with play vars n: 10, or
 * `| default(10)`), through the same resolution the budgets use. 'unknown' when only the run time knows.
 */
export function keywordNumber(task: Task, play: Play | undefined, key: string): { kind: 'absent' } | { kind: 'unknown' } | { kind: 'invalid' } | { kind: 'number'; value: number } {
  const entry = task.keywords[key];
  if (!entry) return { kind: 'absent' };
  if (!entry.templated) {
    const v = intValue(entry);
    return v.kind === 'number' ? { kind: 'number', value: v.value } : v.kind === 'absent' ? { kind: 'absent' } : { kind: 'invalid' };
  }
  try {
    const r = resolveEntry(entry, key, varLayers(task, play));
    if (r.kind === 'number') return { kind: 'number', value: Math.trunc(r.value) };
    if (r.kind === 'invalid') return { kind: 'invalid' };
    if (r.kind === 'absent') return { kind: 'absent' };
  } catch {
    // resolution is best effort: unknown is always a safe answer
  }
  return { kind: 'unknown' };
}

/**
 * Whether the task really runs as a background job: async set and not 0, and the action supports async in
 * the target version (otherwise the task just fails, and no launch/poll/until reasoning applies). A templated
 * async that the playbook does not resolve may be 0 at run time: then the task is not treated as async.
 */
export function asyncState(task: Task, coreVersion?: string, play?: Play): { kind: 'none' } | { kind: 'async'; seconds?: number; poll: 'wait' | 'fire' | 'unknown' } {
  if (task.module && !supportsAsync(task.module, coreVersion)) return { kind: 'none' };
  const a = keywordNumber(task, play, 'async');
  if (a.kind !== 'number' || a.value === 0) return { kind: 'none' };
  const p = keywordNumber(task, play, 'poll');
  // async < 0 is truthy (wrapped) but never polled, like poll 0
  const poll = a.value < 0 ? 'fire' : p.kind === 'absent' ? 'wait' : p.kind === 'number' ? (p.value > 0 ? 'wait' : 'fire') : 'unknown';
  return { kind: 'async', seconds: a.value > 0 ? a.value : undefined, poll };
}

const JID_DIRECT = /^\s*\{\{\s*([A-Za-z_][\w]*)\s*(?:\.\s*ansible_job_id|\[\s*['"]ansible_job_id['"]\s*\])\s*\}\}\s*$/;
const LOOP_OVER_RESULTS = /^\s*\{\{\s*([A-Za-z_][\w]*)\s*(?:\.\s*results|\[\s*['"]results['"]\s*\])\s*\}\}\s*$/;

function loopVar(task: Task): string {
  const lc = task.keywords.loop_control?.value;
  if (lc && typeof lc === 'object' && typeof (lc as Record<string, unknown>).loop_var === 'string') return (lc as Record<string, string>).loop_var;
  return 'item';
}

/** the register a loop iterates `.results` of (`loop: "{{ jobs.results }}"` or `with_items: "{{ jobs.results }}"`) */
export function loopResultsOf(task: Task): string | undefined {
  const loop = task.keywords.loop ?? task.keywords.with_items ?? task.keywords.with_list;
  if (!loop || typeof loop.value !== 'string') return undefined;
  return LOOP_OVER_RESULTS.exec(loop.value)?.[1];
}

export function jobReferenceOf(ref: TaskRef): JobReference | undefined {
  const task = ref.task;
  if (task.module !== 'async_status') return undefined;
  const jid = task.args.jid;
  if (!jid || typeof jid.value !== 'string') return undefined;
  const modeValue = task.args.mode;
  const mode = !modeValue ? 'status' : modeValue.templated ? 'unknown' : modeValue.value === 'cleanup' ? 'cleanup' : modeValue.value === 'status' ? 'status' : 'unknown';
  const m = JID_DIRECT.exec(jid.value);
  if (!m) return undefined;
  const name = m[1];
  const results = loopResultsOf(task);
  if (results && name === loopVar(task)) return { ref, jid, register: results, viaResults: true, direct: false, mode };
  return { ref, jid, register: name, viaResults: false, direct: true, mode };
}

export function buildFacts(playbook: Playbook, looseTasks: readonly Task[] = [], coreVersion?: string): AnalysisFacts {
  const tasks = allTasks(playbook, looseTasks);
  const registers = new Map<string, TaskRef[]>();
  const launches: JobLaunch[] = [];
  const launchOf = new Map<TaskRef, JobLaunch>();
  const jobRefs: JobReference[] = [];
  for (const ref of tasks) {
    const task = ref.task;
    const reg = registerName(task);
    if (reg) {
      const list = registers.get(reg);
      if (list) list.push(ref);
      else registers.set(reg, [ref]);
    }
    if (!isActionTask(task)) continue;
    const state = asyncState(task, coreVersion, ref.play);
    if (state.kind === 'async' && state.poll === 'fire') {
      const launch = { ref, register: reg, asyncSeconds: state.seconds, looped: isLooped(task) };
      launches.push(launch);
      launchOf.set(ref, launch);
    }
    const jr = jobReferenceOf(ref);
    if (jr) jobRefs.push(jr);
  }
  return { tasks, registers, launches, launchOf, jobRefs };
}

/**
 * The launch whose result `name` holds at task order `before`: the latest task registering `name` earlier
 * in the same play must be a fire-and-forget launch (a later `register` of the same name replaces it).
 */
export function launchFor(facts: AnalysisFacts, name: string, at: TaskRef): JobLaunch | undefined {
  // registers are in task order: find the last one before `at` by bisection, then the nearest of this play
  // (usually that same one: a play's tasks are contiguous unless one playbook is imported twice)
  const regs = facts.registers.get(name) ?? [];
  let lo = 0;
  let hi = regs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (regs[mid].order < at.order) lo = mid + 1;
    else hi = mid;
  }
  let i = lo - 1;
  while (i >= 0 && regs[i].play !== at.play) i--;
  return i >= 0 ? facts.launchOf.get(regs[i]) : undefined;
}
