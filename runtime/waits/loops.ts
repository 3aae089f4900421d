/** How many items a task's loop has, when the playbook says so statically. */
import type { Task } from '../playbook/model';
import { findRegistering, loopEntry } from './joins';
import { followTemplate, templateVariables, type VarLayer, type VarUse } from './values';

export interface LoopCount {
  /** 1 without a loop; null when the count is only known at run time */
  count: number | null;
  dependsOn: string[];
  /** playbook variables whose values gave the count */
  uses?: VarUse[];
  /** the loop is over `reg.results` of this launch */
  resultsOf?: Task;
}

function countValue(value: unknown, key: string): number | null {
  if (Array.isArray(value)) {
    // with_items flattens one level
    if (key === 'with_items') return value.reduce((n: number, v) => n + (Array.isArray(v) ? v.length : 1), 0);
    return value.length;
  }
  if (key === 'with_dict' && value && typeof value === 'object') return Object.keys(value).length;
  return null;
}

export function loopCount(task: Task, layersOf: (task: Task) => VarLayer[], ordered: readonly Task[], depth = 0): LoopCount {
  const entry = loopEntry(task);
  if (!entry) return { count: 1, dependsOn: [] };
  const key = entry.key;
  if (key === 'with_sequence' && typeof entry.value === 'string' && !entry.templated) {
    const n = sequenceCount(entry.value);
    if (n !== null) return { count: n, dependsOn: [] };
  }
  if (key !== 'loop' && key !== 'with_items' && key !== 'with_list' && key !== 'with_dict') {
    return { count: null, dependsOn: typeof entry.value === 'string' ? templateVariables(entry.value) : [] };
  }
  if (typeof entry.value === 'string') {
    const results = /^\s*\{\{\s*([A-Za-z_]\w*)\s*(?:\.results|\[\s*['"]results['"]\s*\])\s*\}\}\s*$/.exec(entry.value);
    if (results) {
      const launch = findRegistering(results[1], task, ordered);
      if (!launch || depth > 8) return { count: null, dependsOn: [results[1]] };
      const inner = loopCount(launch, layersOf, ordered, depth + 1);
      return { ...inner, resultsOf: launch };
    }
    const range = rangeCount(entry.value);
    if (range !== null) return { count: range, dependsOn: [] };
    const followed = followTemplate(entry.value, layersOf(task));
    if ('unknown' in followed) return { count: null, dependsOn: followed.unknown };
    const n = countValue(followed.value, key);
    return n === null ? { count: null, dependsOn: templateVariables(entry.value) } : { count: n, dependsOn: [], uses: followed.uses };
  }
  const n = countValue(entry.value, key);
  return { count: n, dependsOn: [] };
}

/** `{{ range(n) }}`, `{{ range(a, b[, step]) | list }}` with literal numbers, as Python's range counts them */
function rangeCount(text: string): number | null {
  const m = /^\s*\{\{\s*range\(\s*(-?\d+)\s*(?:,\s*(-?\d+)\s*)?(?:,\s*(-?\d+)\s*)?\)\s*(?:\|\s*list\s*)?\}\}\s*$/.exec(text);
  if (!m) return null;
  const [start, stop] = m[2] === undefined ? [0, Number(m[1])] : [Number(m[1]), Number(m[2])];
  const step = m[3] === undefined ? 1 : Number(m[3]);
  if (step === 0) return null;
  return Math.max(0, Math.ceil((stop - start) / step));
}

/** with_sequence: `count=N` or `start=A end=B [stride=S]` (end inclusive), literal numbers only */
function sequenceCount(text: string): number | null {
  const opts = Object.fromEntries([...text.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
  const num = (v: string | undefined, d: number) => (v === undefined ? d : /^-?\d+$/.test(v) ? Number(v) : NaN);
  if (opts.count !== undefined) {
    const n = num(opts.count, NaN);
    return Number.isNaN(n) ? null : Math.max(0, n);
  }
  const shorthand = /^\s*(-?\d+)-(-?\d+)(?:\/(\d+))?\s*$/.exec(text);
  const start = shorthand ? Number(shorthand[1]) : num(opts.start, 1);
  const end = shorthand ? Number(shorthand[2]) : num(opts.end, NaN);
  const stride = shorthand ? Number(shorthand[3] ?? 1) : num(opts.stride, 1);
  if ([start, end, stride].some(Number.isNaN) || stride === 0) return null;
  return Math.max(0, Math.floor((end - start) / stride) + 1);
}
