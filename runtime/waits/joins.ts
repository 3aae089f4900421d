/**
 * Which launch an async_status task joins: `jid: "{{ reg.ansible_job_id }}"` names the registered result of
 * the launching task; `jid: "{{ item.ansible_job_id }}"` with `loop: "{{ reg.results }}"` joins each job of a
 * launch made in a loop.
 */
import type { Entry, Task } from '../playbook/model';

export interface JobReference {
  /** the registered variable holding the launch result */
  registerName: string;
  /** the jid comes from `reg.results` (a launch in a loop), through the task's loop or an index */
  viaResults: boolean;
  /** the task that registers `registerName`, when found */
  launch?: Task;
  /** the launching task runs in a loop (its ids are in `.results`, not at the top level) */
  launchInLoop: boolean;
  jid: Entry;
}

const LOOP_KEYS = ['loop', 'with_items', 'with_list'];

/** the loop keyword of a task (loop or a with_* form) */
export function loopEntry(task: Task): Entry | undefined {
  if (task.keywords.loop) return task.keywords.loop;
  return Object.values(task.keywords).find((e) => e.key.startsWith('with_'));
}

export function loopVariable(task: Task): string {
  const control = task.keywords.loop_control?.value;
  if (control && typeof control === 'object' && !Array.isArray(control)) {
    const v = (control as Record<string, unknown>).loop_var;
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return 'item';
}

function jobIdSource(text: string): { name: string; viaResults: boolean } | undefined {
  const m = /\{\{\s*([A-Za-z_]\w*)((?:\s*(?:\.\w+|\[[^\]]*\]))*?)\s*(?:\.ansible_job_id|\[\s*['"]ansible_job_id['"]\s*\])/.exec(text);
  if (!m) return undefined;
  return { name: m[1], viaResults: /\bresults\b/.test(m[2]) };
}

/** the register name behind `{{ X.results }}` in a loop expression */
function resultsSource(loop: Entry | undefined): string | undefined {
  if (!loop || typeof loop.value !== 'string') return undefined;
  const m = /\{\{\s*([A-Za-z_]\w*)\s*(?:\.results|\[\s*['"]results['"]\s*\])/.exec(loop.value);
  return m?.[1];
}

export function isLoopTask(task: Task): boolean {
  return loopEntry(task) !== undefined;
}

/**
 * The launch a task's `jid` refers to. `ordered` is the play's tasks in execution order: the nearest earlier
 * task registering the name wins, else a later one (a handler, a loop back via include).
 */
export function findJoinedJob(task: Task, ordered: readonly Task[]): JobReference | undefined {
  const jid = task.args.jid;
  if (!jid || typeof jid.value !== 'string') return undefined;
  const source = jobIdSource(jid.value);
  if (!source) return undefined;
  let registerName = source.name;
  let viaResults = source.viaResults;
  if (source.name === loopVariable(task)) {
    const fromLoop = resultsSource(loopEntry(task));
    if (!fromLoop) return undefined;
    registerName = fromLoop;
    viaResults = true;
  }
  const launch = findRegistering(registerName, task, ordered);
  return { registerName, viaResults, launch, launchInLoop: launch ? isLoopTask(launch) : false, jid };
}

interface TaskIndex {
  position: Map<Task, number>;
  byRegister: Map<string, Task[]>;
}

const indexes = new WeakMap<readonly Task[], TaskIndex>();

/** positions and registers of a task list, built once per list so lookups stay linear over a play */
function taskIndex(ordered: readonly Task[]): TaskIndex {
  let index = indexes.get(ordered);
  if (!index) {
    index = { position: new Map(), byRegister: new Map() };
    ordered.forEach((t, i) => {
      index!.position.set(t, i);
      const name = t.keywords.register?.value;
      if (typeof name === 'string') {
        const list = index!.byRegister.get(name) ?? [];
        list.push(t);
        index!.byRegister.set(name, list);
      }
    });
    indexes.set(ordered, index);
  }
  return index;
}

export function findRegistering(name: string, before: Task, ordered: readonly Task[]): Task | undefined {
  const index = taskIndex(ordered);
  const candidates = (index.byRegister.get(name) ?? []).filter((t) => t !== before);
  if (!candidates.length) return undefined;
  const at = index.position.get(before) ?? ordered.length;
  let best: Task | undefined;
  for (const t of candidates) if ((index.position.get(t) ?? 0) < at) best = t;
  return best ?? candidates[0];
}

export { LOOP_KEYS };
