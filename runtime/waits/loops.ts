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
    const followed = followTemplate(entry.value, layersOf(task));
    if ('unknown' in followed) return { count: null, dependsOn: followed.unknown };
    const n = countValue(followed.value, key);
    return n === null ? { count: null, dependsOn: templateVariables(entry.value) } : { count: n, dependsOn: [], uses: followed.uses };
  }
  const n = countValue(entry.value, key);
  return { count: n, dependsOn: [] };
}
