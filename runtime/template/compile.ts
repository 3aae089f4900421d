/**
 * Turns the syntax tree into a tree of closures, once per source string. Evaluation then costs a few
 * property reads and calls: variables are read from the caller's object in place, so the size of the
 * context (hostvars of hundreds of hosts) does not change the cost.
 */
import { getAttr, getItem, getSlice, pyKey, readKey } from './access';
import type { Expr } from './ast';
import { TemplateError } from './errors';
import { callGlobal, GLOBALS } from './globals';
import { callMethod, hasMethod } from './methods';
import { add, concat, floordiv, mod, mul, neg, pos, pow, sub, truediv } from './operators';
import type { Env, FilterDef, Kwargs, Scope, TestDef } from './scope';
import { BoundMethod, fail, isDict, pyCompare, pyContains, pyEquals, pyTypeName, truthy, tuple, Undefined } from './values';

export type Ev = (s: Scope) => unknown;

/** Gives an error raised by a filter/operator (offset -1) the span of the node that raised it. */
export function locate(e: unknown, offset: number, end: number): TemplateError {
  if (e instanceof TemplateError) return e.offset < 0 ? new TemplateError(e.kind, e.message, offset, end, e.ansibleMessage, e.ansibleClass) : e;
  if (e instanceof RangeError) return new TemplateError('runtime', `recursion or size limit exceeded: ${e.message}`, offset, end);
  const msg = e instanceof Error ? e.message : String(e);
  return new TemplateError('runtime', msg, offset, end);
}

export class ExprCompiler {
  constructor(private readonly env: Env) {}

  compile(e: Expr): Ev {
    switch (e.type) {
      case 'const': {
        const v = e.value;
        return () => v;
      }
      case 'name':
        return this.name(e.name, e.offset, e.end);
      case 'list': {
        const items = e.items.map((i) => this.compile(i));
        return (s) => items.map((f) => f(s));
      }
      case 'tuple': {
        const items = e.items.map((i) => this.compile(i));
        return (s) => tuple(items.map((f) => f(s)));
      }
      case 'dict': {
        const pairs = e.pairs.map(([k, v]) => [this.compile(k), this.compile(v), k] as const);
        return (s) => {
          const out: Record<string, unknown> = {};
          for (const [k, v, node] of pairs) {
            let key: string;
            try {
              key = pyKey(k(s));
            } catch (err) {
              throw locate(err, node.offset, node.end);
            }
            out[key] = v(s);
          }
          return out;
        };
      }
      case 'getattr': {
        const obj = this.compile(e.obj);
        const { attr, offset, end } = e;
        return (s) => getAttr(obj(s), attr, offset, end);
      }
      case 'getitem': {
        const obj = this.compile(e.obj);
        const index = this.compile(e.index);
        const { offset, end } = e;
        if (e.index.type === 'const' && typeof e.index.value === 'string') {
          const key = e.index.value;
          return (s) => {
            const o = obj(s);
            if (isDict(o)) {
              const v = readKey(o, key);
              if (v !== undefined) return v;
            }
            return getItem(o, key, offset, end);
          };
        }
        return (s) => {
          try {
            return getItem(obj(s), index(s), offset, end);
          } catch (err) {
            throw locate(err, offset, end);
          }
        };
      }
      case 'slice': {
        const obj = this.compile(e.obj);
        const start = e.start ? this.compile(e.start) : null;
        const stop = e.stop ? this.compile(e.stop) : null;
        const step = e.step ? this.compile(e.step) : null;
        const { offset, end } = e;
        return (s) => {
          try {
            return getSlice(obj(s), start?.(s) ?? null, stop?.(s) ?? null, step?.(s) ?? null);
          } catch (err) {
            throw locate(err, offset, end);
          }
        };
      }
      case 'call':
        return this.call(e);
      case 'filter':
        return this.filter(e);
      case 'test':
        return this.test(e);
      case 'unary': {
        const node = this.compile(e.node);
        const { offset, end } = e;
        const op = e.op === 'not' ? (v: unknown) => !truthy(v) : e.op === '-' ? neg : pos;
        return (s) => {
          try {
            return op(node(s));
          } catch (err) {
            throw locate(err, offset, end);
          }
        };
      }
      case 'binary':
        return this.binary(e.op, this.compile(e.left), this.compile(e.right), e.offset, e.end);
      case 'compare':
        return this.compare(e);
      case 'cond': {
        const test = this.compile(e.test);
        const then = this.compile(e.then);
        const otherwise = e.otherwise ? this.compile(e.otherwise) : null;
        const { offset, end } = e;
        const t0 = e.test;
        return (s) => {
          let t: boolean;
          try {
            t = truthy(test(s));
          } catch (err) {
            throw locate(err, t0.offset, t0.end);
          }
          if (t) return then(s);
          return otherwise ? otherwise(s) : new Undefined('the inline if-expression evaluated to false and no else section was defined.', offset, end, undefined, true);
        };
      }
    }
  }

  private name(name: string, offset: number, end: number): Ev {
    const global = Object.prototype.hasOwnProperty.call(GLOBALS, name) ? name : null;
    const message = `'${name}' is undefined`;
    return (s) => {
      for (let f = s.frame; f !== null; f = f.parent) {
        const v = f.vars.get(name);
        if (v !== undefined || f.vars.has(name)) return v;
      }
      const v = readKey(s.vars, name);
      if (v !== undefined) return v;
      if (name === 'vars') return s.vars;
      if (global !== null) return new BoundMethod(global, (args, kwargs) => callGlobal(global, s, args, kwargs));
      return new Undefined(message, offset, end, name);
    };
  }

  private args(e: { args: Expr[]; kwargs: { name: string; value: Expr }[] }): { args: Ev[]; kwargs: [string, Ev][] | null } {
    return {
      args: e.args.map((a) => this.compile(a)),
      kwargs: e.kwargs.length ? e.kwargs.map((k) => [k.name, this.compile(k.value)] as [string, Ev]) : null,
    };
  }

  private call(e: Extract<Expr, { type: 'call' }>): Ev {
    const { args, kwargs } = this.args(e);
    const { offset, end } = e;
    const evalArgs = (s: Scope): [unknown[], Kwargs] => {
      const a = args.length === 0 ? [] : args.map((f) => f(s));
      let kw: Kwargs = null;
      if (kwargs) {
        kw = {};
        for (const [k, f] of kwargs) kw[k] = f(s);
      }
      return [a, kw];
    };
    const fn = e.fn;
    // method call `obj.name(...)`: no bound-method object in between
    if (fn.type === 'getattr') {
      const obj = this.compile(fn.obj);
      const name = fn.attr;
      return (s) => {
        const o = obj(s);
        if (o instanceof Undefined) throw locate(o.error(), o.offset, o.end);
        const [a, kw] = evalArgs(s);
        try {
          if (hasMethod(o, name)) return callMethod(o, name, a, kw);
          const target = getAttr(o, name, fn.offset, fn.end);
          return invoke(target, a, kw);
        } catch (err) {
          throw locate(err, offset, end);
        }
      };
    }
    // global function `range(...)`, `lookup(...)` unless a variable of that name shadows it
    if (fn.type === 'name' && Object.prototype.hasOwnProperty.call(GLOBALS, fn.name)) {
      const name = fn.name;
      const variable = this.name(name, fn.offset, fn.end);
      return (s) => {
        const [a, kw] = evalArgs(s);
        try {
          if (s.frame === null && readKey(s.vars, name) === undefined) return callGlobal(name, s, a, kw);
          return invoke(variable(s), a, kw);
        } catch (err) {
          throw locate(err, offset, end);
        }
      };
    }
    const target = this.compile(fn);
    return (s) => {
      const t = target(s);
      const [a, kw] = evalArgs(s);
      try {
        return invoke(t, a, kw);
      } catch (err) {
        throw locate(err, offset, end);
      }
    };
  }

  lookupFilter(name: string, offset: number, end: number): FilterDef {
    const def = this.env.filters.get(name);
    if (!def) throw new TemplateError('filter', `No filter named '${name}'.`, offset, end, `Could not load "${name}": '${name}'`, 'AnsibleError');
    return def;
  }

  lookupTest(name: string, offset: number, end: number): TestDef {
    const def = this.env.tests.get(name);
    if (!def) throw new TemplateError('filter', `No test named '${name}'.`, offset, end, `Could not load "${name}": '${name}'`, 'AnsibleError');
    return def;
  }

  private filter(e: Extract<Expr, { type: 'filter' }>): Ev {
    const def = this.lookupFilter(e.name, e.nameOffset, e.nameEnd);
    const input = this.compile(e.input);
    const { args, kwargs } = this.args(e);
    const { offset, end } = e;
    const fn = def.fn;
    const acceptsUndefined = !!def.acceptsUndefined;
    const argsEv = args;
    return (s) => {
      const v = input(s);
      if (!acceptsUndefined && v instanceof Undefined) throw v.error();
      const a = argsEv.length === 0 ? EMPTY : argsEv.map((f) => f(s));
      let kw: Kwargs = null;
      if (kwargs) {
        kw = {};
        for (const [k, f] of kwargs) kw[k] = f(s);
      }
      try {
        return fn(s, v, a, kw);
      } catch (err) {
        throw locate(err, offset, end);
      }
    };
  }

  private test(e: Extract<Expr, { type: 'test' }>): Ev {
    const def = this.lookupTest(e.name, e.nameOffset, e.nameEnd);
    const input = this.compile(e.input);
    const { args, kwargs } = this.args(e);
    const { offset, end, negated } = e;
    const fn = def.fn;
    const acceptsUndefined = !!def.acceptsUndefined;
    return (s) => {
      const v = input(s);
      if (!acceptsUndefined && v instanceof Undefined) throw v.error();
      const a = args.length === 0 ? EMPTY : args.map((f) => f(s));
      let kw: Kwargs = null;
      if (kwargs) {
        kw = {};
        for (const [k, f] of kwargs) kw[k] = f(s);
      }
      let r: boolean;
      try {
        r = fn(s, v, a, kw);
      } catch (err) {
        throw locate(err, offset, end);
      }
      return negated ? !r : r;
    };
  }

  private binary(op: string, left: Ev, right: Ev, offset: number, end: number): Ev {
    if (op === 'and') return (s) => {
      const l = left(s);
      return truthyAt(l, offset, end) ? right(s) : l;
    };
    if (op === 'or') return (s) => {
      const l = left(s);
      return truthyAt(l, offset, end) ? l : right(s);
    };
    const f = BINARY[op];
    return (s) => {
      const l = left(s);
      const r = right(s);
      try {
        return f(l, r);
      } catch (err) {
        throw locate(err, offset, end);
      }
    };
  }

  private compare(e: Extract<Expr, { type: 'compare' }>): Ev {
    const first = this.compile(e.first);
    const ops = e.ops.map((o) => ({ f: COMPARE[o.op], node: this.compile(o.node) }));
    const { offset, end } = e;
    if (ops.length === 1) {
      const { f, node } = ops[0];
      return (s) => {
        const a = first(s);
        const b = node(s);
        try {
          return f(a, b);
        } catch (err) {
          throw locate(err, offset, end);
        }
      };
    }
    return (s) => {
      let a = first(s);
      try {
        for (const { f, node } of ops) {
          const b = node(s);
          if (!f(a, b)) return false;
          a = b;
        }
        return true;
      } catch (err) {
        throw locate(err, offset, end);
      }
    };
  }
}

const EMPTY: unknown[] = [];

function truthyAt(v: unknown, offset: number, end: number): boolean {
  try {
    return truthy(v);
  } catch (err) {
    throw locate(err, offset, end);
  }
}

/** Calls a callable value: a bound Python method, a global, or a JS function from the caller's vars. */
export function invoke(target: unknown, args: unknown[], kwargs: Kwargs): unknown {
  if (target instanceof BoundMethod) return target.call(args, kwargs);
  if (target instanceof Undefined) throw target.error();
  if (typeof target === 'function') return (target as (...a: unknown[]) => unknown)(...args, ...(kwargs ? [kwargs] : []));
  return fail(`'${pyTypeName(target)}' object is not callable`);
}

const BINARY: Record<string, (a: unknown, b: unknown) => unknown> = {
  '+': add,
  '-': sub,
  '*': mul,
  '/': truediv,
  '//': floordiv,
  '%': mod,
  '**': pow,
  '~': concat,
};

const COMPARE: Record<string, (a: unknown, b: unknown) => boolean> = {
  '==': pyEquals,
  '!=': (a, b) => !pyEquals(a, b),
  '<': (a, b) => pyCompare(a, b, '<') < 0,
  '>': (a, b) => pyCompare(a, b, '>') > 0,
  '<=': (a, b) => pyCompare(a, b, '<=') <= 0,
  '>=': (a, b) => pyCompare(a, b, '>=') >= 0,
  // `a in b` asks whether b contains a
  in: (a, b) => pyContains(b, a),
  notin: (a, b) => !pyContains(b, a),
};
