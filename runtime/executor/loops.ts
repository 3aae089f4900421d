/**
 * The items of `loop:` and the classic `with_*` lookups we support (with_items flattens one level,
 * with_list, with_dict → {key, value}, with_indexed_items, with_sequence, with_together, with_nested).
 */
import type { Task } from '../playbook/model';
import type { RunContext } from './context';

export class LoopError extends Error {}

export function loopItems(ctx: RunContext, task: Task, vars: Record<string, unknown>): unknown[] {
  if (task.keywords.loop) {
    const value = ctx.templar.render(task.keywords.loop.value, vars);
    if (!Array.isArray(value)) throw new LoopError(`Invalid data passed to 'loop', it requires a list, got this instead: ${JSON.stringify(value)}. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.`);
    return value;
  }
  const withKey = Object.keys(task.keywords).find((k) => k.startsWith('with_'));
  if (!withKey) return [];
  const lookup = withKey.slice('with_'.length);
  const value = ctx.templar.render(task.keywords[withKey].value, vars);
  switch (lookup) {
    case 'items':
      return (Array.isArray(value) ? value : [value]).flatMap((v) => (Array.isArray(v) ? v : [v]));
    case 'list':
      return Array.isArray(value) ? value : [value];
    case 'flattened':
      return flatten(value);
    case 'dict': {
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new LoopError(`with_dict expects a dict`);
      return Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, value: v }));
    }
    case 'indexed_items':
      return (Array.isArray(value) ? value : [value]).map((v, i) => [i, v]);
    case 'together': {
      const lists = (value as unknown[][]) ?? [];
      const n = Math.max(0, ...lists.map((l) => l.length));
      return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : null)));
    }
    case 'nested':
    case 'cartesian': {
      const lists = (value as unknown[][]) ?? [];
      return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => (Array.isArray(list) ? list : [list]).map((v) => [...prefix, v])), [[]]);
    }
    case 'sequence':
      return sequence(value);
    default:
      throw new LoopError(`the bundled engine does not support with_${lookup}; use loop: with a filter, or --engine ansible`);
  }
}

function flatten(value: unknown): unknown[] {
  if (!Array.isArray(value)) return [value];
  return value.flatMap((v) => flatten(v));
}

function sequence(value: unknown): string[] {
  const spec = typeof value === 'string' ? value : '';
  const args: Record<string, string> = {};
  for (const part of spec.split(/\s+/).filter(Boolean)) {
    const [k, v] = part.split('=');
    if (v !== undefined) args[k] = v;
  }
  const start = Number(args.start ?? 1);
  const end = args.end !== undefined ? Number(args.end) : start + Number(args.count ?? 0) - 1;
  const stride = Number(args.stride ?? 1) || 1;
  const format = args.format ?? '%d';
  const out: string[] = [];
  for (let i = start; stride > 0 ? i <= end : i >= end; i += stride) out.push(format.replace(/%0?(\d*)d/, (m, w) => String(i).padStart(Number(w || 0), m.startsWith('%0') ? '0' : ' ')));
  return out;
}
