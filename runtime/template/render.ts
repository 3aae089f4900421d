/**
 * Template statements (output, if, for, set, with) compiled to closures, and the final concatenation
 * of the output in Ansible's three flavours: 2.14 strings, 2.14-2.18 jinja2_native, 2.19 native.
 */
import type { Expr, Stmt, Target } from './ast';
import { type Ev, ExprCompiler, locate } from './compile';
import { STRING_TYPE_FILTERS } from './filters';
import { literalEval, NOT_LITERAL } from './literal-eval';
import { Frame, type Env, type Scope } from './scope';
import { TemplateError } from './errors';
import { Namespace } from './globals';
import { BoundMethod, fail, pyIter, pyStr, truthy, Undefined } from './values';

type Out = unknown[];
type StmtFn = (s: Scope, out: Out) => void;

export type ConcatMode = 'string' | 'native' | 'native219' | 'text';

function bind(frame: Frame, target: Target, value: unknown): void {
  if (!target.tuple) {
    frame.vars.set(target.names[0].name, value);
    return;
  }
  const items = pyIter(value);
  if (items.length !== target.names.length) {
    fail(items.length > target.names.length ? `too many values to unpack (expected ${target.names.length})` : `not enough values to unpack (expected ${target.names.length}, got ${items.length})`);
  }
  target.names.forEach((n, i) => frame.vars.set(n.name, items[i]));
}

function runBody(body: StmtFn[], s: Scope, out: Out): void {
  for (const f of body) f(s, out);
}

export class TemplateCompiler {
  private readonly expr: ExprCompiler;

  constructor(env: Env) {
    this.expr = new ExprCompiler(env);
  }

  compileExpr(e: Expr): Ev {
    return this.expr.compile(e);
  }

  compileBody(stmts: Stmt[]): StmtFn[] {
    return stmts.map((st) => this.compileStmt(st));
  }

  private compileStmt(st: Stmt): StmtFn {
    switch (st.type) {
      case 'data': {
        const text = st.text;
        return (_s, out) => {
          out.push(text);
        };
      }
      case 'output': {
        const ev = this.expr.compile(st.node);
        return (s, out) => {
          const v = ev(s);
          if (v instanceof Undefined && !v.silent) throw v.error();
          out.push(v);
        };
      }
      case 'if': {
        const branches = st.branches.map((b) => ({ test: this.expr.compile(b.test), node: b.test, body: this.compileBody(b.body) }));
        const otherwise = st.otherwise ? this.compileBody(st.otherwise) : null;
        return (s, out) => {
          for (const b of branches) {
            let t: boolean;
            try {
              t = truthy(b.test(s));
            } catch (e) {
              throw locate(e, b.node.offset, b.node.end);
            }
            if (t) return runBody(b.body, s, out);
          }
          if (otherwise) runBody(otherwise, s, out);
        };
      }
      case 'for':
        return this.compileFor(st);
      case 'set': {
        const value = this.expr.compile(st.value);
        const { target, offset, end } = st;
        return (s) => {
          const v = value(s);
          s.frame ??= new Frame(null);
          try {
            bind(s.frame, target, v);
          } catch (e) {
            throw locate(e, offset, end);
          }
        };
      }
      case 'setattr': {
        const value = this.expr.compile(st.value);
        const { name, attr, offset, end } = st;
        return (s) => {
          let ns: unknown;
          for (let f = s.frame; f !== null && ns === undefined; f = f.parent) ns = f.vars.get(name);
          if (!(ns instanceof Namespace)) throw locate(new TemplateError('type', 'cannot assign attribute on non-namespace object', -1, -1), offset, end);
          (ns as unknown as Record<string, unknown>)[attr] = value(s);
        };
      }
      case 'setblock': {
        const body = this.compileBody(st.body);
        const name = st.target.names[0].name;
        return (s) => {
          const inner: Out = [];
          runBody(body, s, inner);
          s.frame ??= new Frame(null);
          s.frame.vars.set(name, inner.map((x) => pyStr(x ?? '')).join(''));
        };
      }
      case 'with': {
        const assignments = st.assignments.map((a) => ({ target: a.target, value: this.expr.compile(a.value) }));
        const body = this.compileBody(st.body);
        return (s, out) => {
          const frame = new Frame(s.frame);
          for (const a of assignments) bind(frame, a.target, a.value(s));
          const saved = s.frame;
          s.frame = frame;
          try {
            runBody(body, s, out);
          } finally {
            s.frame = saved;
          }
        };
      }
    }
  }

  private compileFor(st: Extract<Stmt, { type: 'for' }>): StmtFn {
    const iter = this.expr.compile(st.iter);
    const filter = st.filter ? this.expr.compile(st.filter) : null;
    const body = this.compileBody(st.body);
    const otherwise = st.otherwise ? this.compileBody(st.otherwise) : null;
    const { target } = st;
    const iterNode = st.iter;
    return (s, out) => {
      let items: unknown[];
      try {
        items = pyIter(iter(s));
      } catch (e) {
        throw locate(e, iterNode.offset, iterNode.end);
      }
      const saved = s.frame;
      try {
        if (filter) {
          items = items.filter((item) => {
            const f = new Frame(saved);
            bind(f, target, item);
            s.frame = f;
            return truthy(filter(s));
          });
          s.frame = saved;
        }
        if (items.length === 0) {
          if (otherwise) runBody(otherwise, s, out);
          return;
        }
        const length = items.length;
        let lastCycled: unknown = undefined;
        for (let i = 0; i < length; i++) {
          const frame = new Frame(saved);
          bind(frame, target, items[i]);
          const loop: Record<string, unknown> = {
            index: i + 1,
            index0: i,
            revindex: length - i,
            revindex0: length - i - 1,
            first: i === 0,
            last: i === length - 1,
            length,
            depth: 1,
            depth0: 0,
            previtem: i > 0 ? items[i - 1] : new Undefined("there is no previous item", st.offset, st.end),
            nextitem: i < length - 1 ? items[i + 1] : new Undefined('there is no next item', st.offset, st.end),
            cycle: new BoundMethod('cycle', (args) => (args.length ? args[i % args.length] : fail('no items for cycling given'))),
            changed: new BoundMethod('changed', (args) => {
              const v = JSON.stringify(args);
              if (v === lastCycled) return false;
              lastCycled = v;
              return true;
            }),
          };
          frame.vars.set('loop', loop);
          s.frame = frame;
          runBody(body, s, out);
        }
      } catch (e) {
        throw locate(e, st.offset, st.end);
      } finally {
        s.frame = saved;
      }
    };
  }
}

/** `{{ x | to_json }}` alone: Ansible keeps such a string a string (never literal_eval'd) */
export function isStringTypeOutput(body: Stmt[]): boolean {
  return body.length === 1 && body[0].type === 'output' && body[0].node.type === 'filter' && STRING_TYPE_FILTERS.has(body[0].node.name);
}

/** Ansible 2.14 `_no_type_regex`: a string-type filter right before a `}}` keeps the whole result a string */
const NO_TYPE_RE = new RegExp(`^.*?\\|\\s*(?:${[...STRING_TYPE_FILTERS].join('|')})(?:\\([^|]*\\))?\\s*\\)?\\s*(?:\\}\\})`);

export function hasNoTypeFilter(src: string): boolean {
  return NO_TYPE_RE.test(src);
}

export function nativeLiteral(text: string): unknown {
  const v = literalEval(text);
  if (v === NOT_LITERAL) return text;
  // Ansible puts the quotes back on a string literal so that "'x'" stays "'x'"
  if (typeof v === 'string') return text[0] + v + text[0];
  return v;
}

/** Joins the rendered pieces the way the selected Ansible version does. */
export function concatOutput(out: Out, mode: ConcatMode, keepString: boolean): unknown {
  if (mode === 'native') {
    if (out.length === 0) return null;
    if (out.length === 1) {
      const v = out[0];
      if (typeof v !== 'string') return v instanceof Undefined ? null : v;
      if (keepString) return v;
      return nativeLiteral(v);
    }
    let text = '';
    for (const v of out) text += pyStr(v);
    return nativeLiteral(text);
  }
  if (mode === 'native219') {
    if (out.length === 0) return '';
    if (out.length === 1) return out[0] instanceof Undefined ? null : out[0];
    let text = '';
    for (const v of out) text += v === null ? '' : pyStr(v);
    return text;
  }
  let text = '';
  for (const v of out) text += v === null ? '' : pyStr(v);
  if (mode === 'text') return text;
  if (!keepString && (text.startsWith('{') || text.startsWith('[') || text === 'True' || text === 'False')) {
    const v = literalEval(text);
    if (v !== NOT_LITERAL) return v;
  }
  return text;
}
