/** How long one execution of a synchronous task can take: task `timeout:`, or the module's own bound. */
import { lookupModule, type ModuleInfo } from '../modules/catalog';
import type { Task } from '../playbook/model';
import { resolveEntry, type Resolved, type VarLayer } from './values';

export interface AttemptBoundResult {
  /** seconds one execution takes at most; null when unknown or unbounded */
  seconds: number | null;
  unbounded: boolean;
  /** what bounds it, for the hint: "timeout 30 s", "uri timeout 30 s", "command has no time limit" */
  source: string;
  dependsOn: string[];
}

function fromResolved(r: Resolved, fallback: number): { seconds: number | null; dependsOn: string[] } {
  if (r.kind === 'number') return { seconds: r.value, dependsOn: [] };
  if (r.kind === 'unknown') return { seconds: null, dependsOn: r.dependsOn };
  return { seconds: fallback, dependsOn: [] };
}

function moduleBound(task: Task, info: ModuleInfo | undefined, layers: VarLayer[]): AttemptBoundResult {
  const name = task.module ?? task.action ?? 'this action';
  if (!info) return { seconds: null, unbounded: true, source: `${name} has no known time limit`, dependsOn: [] };
  const bound = info.attemptBound;
  switch (bound.kind) {
    case 'instant':
      return { seconds: 0, unbounded: false, source: `${info.name} does not wait`, dependsOn: [] };
    case 'unbounded':
      return { seconds: null, unbounded: true, source: `${info.name} has no time limit`, dependsOn: [] };
    case 'option': {
      const r = fromResolved(resolveEntry(task.args[bound.option], bound.option, layers), bound.default);
      const seconds = r.seconds === null ? null : Math.max(0, r.seconds);
      return { seconds, unbounded: false, source: `${info.name} ${bound.option} ${seconds ?? '?'} s`, dependsOn: r.dependsOn };
    }
    case 'pause': {
      const minutes = resolveEntry(task.args.minutes, 'minutes', layers);
      const seconds = resolveEntry(task.args.seconds, 'seconds', layers);
      if (minutes.kind === 'unknown') return { seconds: null, unbounded: false, source: 'pause minutes', dependsOn: minutes.dependsOn };
      if (seconds.kind === 'unknown') return { seconds: null, unbounded: false, source: 'pause seconds', dependsOn: seconds.dependsOn };
      if (minutes.kind === 'number') return { seconds: Math.max(1, minutes.value * 60), unbounded: false, source: `pause ${minutes.value} min`, dependsOn: [] };
      // values below 1 s pause 1 s (truth case 28)
      if (seconds.kind === 'number') return { seconds: Math.max(1, seconds.value), unbounded: false, source: `pause ${Math.max(1, seconds.value)} s`, dependsOn: [] };
      return { seconds: null, unbounded: true, source: 'pause waits for a key press', dependsOn: [] };
    }
  }
}

export function attemptBound(task: Task, layers: VarLayer[]): AttemptBoundResult {
  const info = task.action ? lookupModule(task.action) : undefined;
  const fromModule = moduleBound(task, info, layers);
  const timeout = resolveEntry(task.keywords.timeout, 'timeout', layers);
  if (timeout.kind === 'number' && timeout.value > 0) {
    if (fromModule.seconds !== null && fromModule.seconds <= timeout.value) return fromModule;
    return { seconds: timeout.value, unbounded: false, source: `timeout ${timeout.value} s`, dependsOn: [] };
  }
  if (timeout.kind === 'unknown' && fromModule.unbounded) {
    return { seconds: null, unbounded: false, source: 'timeout', dependsOn: timeout.dependsOn };
  }
  return fromModule;
}

