/**
 * Static analysis for the language server: parse errors with spans, the variables an expression reads,
 * and the filters and tests it names (known or not). Never throws.
 */
import type { CallArgs, Expr, Stmt } from './ast';
import { TemplateError } from './errors';
import { FILTERS } from './filters';
import { GLOBALS } from './globals';
import { Lexer } from './lexer';
import { Parser } from './parser';
import { TESTS } from './tests';

export interface NameSpan {
  name: string;
  offset: number;
  end: number;
}
export interface PluginSpan extends NameSpan {
  known: boolean;
}
export interface Analysis {
  errors: TemplateError[];
  variables: NameSpan[];
  filters: PluginSpan[];
  tests: PluginSpan[];
}

export const knownFilters: ReadonlySet<string> = new Set(FILTERS.keys());
export const knownTests: ReadonlySet<string> = new Set(TESTS.keys());

class Walker {
  readonly result: Analysis = { errors: [], variables: [], filters: [], tests: [] };
  private readonly locals: Set<string>[] = [];

  private isLocal(name: string): boolean {
    return this.locals.some((l) => l.has(name));
  }

  private plugin(kind: 'filter' | 'test', name: string, offset: number, end: number): void {
    const known = (kind === 'filter' ? knownFilters : knownTests).has(name);
    (kind === 'filter' ? this.result.filters : this.result.tests).push({ name, offset, end, known });
    // names from collections (dotted) may exist where the playbook runs; plain unknown names cannot
    if (!known && !name.includes('.')) {
      const msg = `No ${kind} named '${name}'.`;
      this.result.errors.push(new TemplateError('filter', msg, offset, end, `Could not load "${name}": '${name}'`, 'AnsibleError'));
    }
  }

  private args(c: CallArgs): void {
    for (const a of c.args) this.expr(a);
    for (const k of c.kwargs) this.expr(k.value);
  }

  expr(e: Expr): void {
    switch (e.type) {
      case 'const':
        return;
      case 'name':
        if (!this.isLocal(e.name) && e.name !== 'loop') this.result.variables.push({ name: e.name, offset: e.offset, end: e.end });
        return;
      case 'list':
      case 'tuple':
        e.items.forEach((i) => this.expr(i));
        return;
      case 'dict':
        e.pairs.forEach(([k, v]) => (this.expr(k), this.expr(v)));
        return;
      case 'getattr':
        return this.expr(e.obj);
      case 'getitem':
        this.expr(e.obj);
        return this.expr(e.index);
      case 'slice':
        this.expr(e.obj);
        for (const x of [e.start, e.stop, e.step]) if (x) this.expr(x);
        return;
      case 'call':
        // `lookup(...)`, `range(...)`: calls of globals are not variable reads
        if (!(e.fn.type === 'name' && Object.prototype.hasOwnProperty.call(GLOBALS, e.fn.name) && !this.isLocal(e.fn.name))) this.expr(e.fn);
        return this.args(e);
      case 'filter':
        this.expr(e.input);
        this.plugin('filter', e.name, e.nameOffset, e.nameEnd);
        return this.args(e);
      case 'test':
        this.expr(e.input);
        this.plugin('test', e.name, e.nameOffset, e.nameEnd);
        return this.args(e);
      case 'unary':
        return this.expr(e.node);
      case 'binary':
        this.expr(e.left);
        return this.expr(e.right);
      case 'compare':
        this.expr(e.first);
        e.ops.forEach((o) => this.expr(o.node));
        return;
      case 'cond':
        this.expr(e.test);
        this.expr(e.then);
        if (e.otherwise) this.expr(e.otherwise);
        return;
    }
  }

  body(stmts: Stmt[]): void {
    for (const st of stmts) {
      switch (st.type) {
        case 'data':
          break;
        case 'output':
          this.expr(st.node);
          break;
        case 'if':
          for (const b of st.branches) {
            this.expr(b.test);
            this.body(b.body);
          }
          if (st.otherwise) this.body(st.otherwise);
          break;
        case 'for':
          this.expr(st.iter);
          this.locals.push(new Set(st.target.names.map((n) => n.name)));
          if (st.filter) this.expr(st.filter);
          this.body(st.body);
          this.locals.pop();
          if (st.otherwise) this.body(st.otherwise);
          break;
        case 'setattr':
          this.expr(st.value);
          break;
        case 'set':
          this.expr(st.value);
          this.declare(st.target.names.map((n) => n.name));
          break;
        case 'setblock':
          this.body(st.body);
          this.declare(st.target.names.map((n) => n.name));
          break;
        case 'with':
          st.assignments.forEach((a) => this.expr(a.value));
          this.locals.push(new Set(st.assignments.flatMap((a) => a.target.names.map((n) => n.name))));
          this.body(st.body);
          this.locals.pop();
          break;
      }
    }
  }

  private declare(names: string[]): void {
    if (this.locals.length === 0) this.locals.push(new Set());
    for (const n of names) this.locals[this.locals.length - 1].add(n);
  }
}

function asTemplateError(e: unknown): TemplateError {
  if (e instanceof TemplateError) return e;
  return new TemplateError('syntax', e instanceof Error ? e.message : String(e), 0, 0);
}

export function analyzeExpression(src: string): Analysis {
  const w = new Walker();
  try {
    const tokens = new Lexer(src, { trimBlocks: true, lstripBlocks: false, escapeBackslashes: false }).lexExpression();
    w.expr(new Parser(tokens).parseBareExpression());
  } catch (e) {
    w.result.errors.push(asTemplateError(e));
  }
  return w.result;
}

export function analyzeTemplate(src: string): Analysis {
  const w = new Walker();
  try {
    const tokens = new Lexer(src, { trimBlocks: true, lstripBlocks: false, escapeBackslashes: true }).lexTemplate();
    w.body(new Parser(tokens).parseTemplate());
    return w.result;
  } catch (e) {
    const error = asTemplateError(e);
    // one broken tag must not hide what the others say: analyse each `{{ }}` on its own
    const result = salvage(src, error);
    result.errors.unshift(error);
    return result;
  }
}

function salvage(src: string, error: TemplateError): Analysis {
  const out: Analysis = { errors: [], variables: [], filters: [], tests: [] };
  for (const m of src.matchAll(/\{\{-?([\s\S]*?)-?\}\}/g)) {
    const start = m.index + m[0].indexOf(m[1]);
    const end = start + m[1].length;
    if (error.offset >= m.index && error.offset <= m.index + m[0].length) continue;
    const a = analyzeExpression(m[1]);
    const shift = <T extends { offset: number; end: number }>(x: T): T => ({ ...x, offset: x.offset + start, end: x.end + start });
    out.errors.push(...a.errors.map((e) => e.shifted(start)));
    out.variables.push(...a.variables.map(shift));
    out.filters.push(...a.filters.map(shift));
    out.tests.push(...a.tests.map(shift));
    void end;
  }
  return out;
}
