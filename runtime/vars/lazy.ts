/**
 * Variables as templates see them: later layers win, and a value that is itself a template ("{{ other }}")
 * is rendered when it is read, against the same variables (Ansible's lazy templating). Results of modules
 * (register), facts and set_fact values are data, never templated again.
 */
import { isTemplated } from '../template';

export interface VarLayer {
  values: Record<string, unknown>;
  /** true for data that must not be rendered again (registered results, facts, set_fact, magic vars) */
  data?: boolean;
}

export type Render = (value: unknown, vars: Record<string, unknown>) => unknown;

export class RecursiveTemplateError extends Error {}

function hasTemplate(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return isTemplated(value);
  if (depth > 8 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => hasTemplate(v, depth + 1));
  return Object.values(value as object).some((v) => hasTemplate(v, depth + 1));
}

export function lazyVars(layers: readonly VarLayer[], render: Render): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const isData = new Set<string>();
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer.values)) {
      raw[key] = value;
      if (layer.data) isData.add(key);
      else isData.delete(key);
    }
  }
  const cache = new Map<string, unknown>();
  const resolving = new Set<string>();
  const proxy: Record<string, unknown> = new Proxy(raw, {
    get(target, key) {
      if (typeof key !== 'string') return undefined;
      if (!(key in target)) return undefined;
      const value = target[key];
      if (isData.has(key) || !hasTemplate(value)) return value;
      if (cache.has(key)) return cache.get(key);
      if (resolving.has(key)) throw new RecursiveTemplateError(`recursive loop detected in template string: ${String(value)}`);
      resolving.add(key);
      try {
        const rendered = render(value, proxy);
        cache.set(key, rendered);
        return rendered;
      } finally {
        resolving.delete(key);
      }
    },
    has(target, key) {
      return typeof key === 'string' && key in target;
    },
    set() {
      return false;
    },
  });
  return proxy;
}

/** a plain (eager) copy of selected keys, rendering lazily-templated ones */
export function snapshot(vars: Record<string, unknown>, keys: Iterable<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (key in vars) out[key] = vars[key];
  return out;
}

/** `vars` with a few more names on top, without reading (and rendering) every variable */
export function withExtra(vars: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  return new Proxy(extra, {
    get(target, key) {
      if (typeof key !== 'string') return undefined;
      return key in target ? target[key] : vars[key];
    },
    has(target, key) {
      return typeof key === 'string' && (key in target || key in vars);
    },
    ownKeys(target) {
      return [...new Set([...Reflect.ownKeys(target), ...Reflect.ownKeys(vars)])];
    },
    getOwnPropertyDescriptor(target, key) {
      return typeof key === 'string' && (key in target || key in vars) ? { enumerable: true, configurable: true, writable: false, value: undefined } : undefined;
    },
  });
}
