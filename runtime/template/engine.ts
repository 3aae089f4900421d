/**
 * Compiling and running expressions and templates: options, the environment, caches, and Ansible's
 * conditional semantics (when/until/failed_when/changed_when).
 */
import { coreAtLeast } from '../playbook/core-version';
import type { Expr, Stmt } from './ast';
import { TemplateError } from './errors';
import { FILTERS } from './filters';
import { Lexer } from './lexer';
import { BUILTIN_LOOKUPS } from './lookups';
import { Parser } from './parser';
import { concatOutput, hasNoTypeFilter, isStringTypeOutput, nativeLiteral, TemplateCompiler, type ConcatMode } from './render';
import type { Env, LookupFn, Scope } from './scope';
import { TESTS } from './tests';
import { PyFloat, pyTypeName, readonlyPlain, toPlain, truthy, Undefined } from './values';
import { readKey } from './access';

export interface TemplateOptions {
  /**
   * Single-expression templates return native values (`"{{ 5 }}"` is 5), as ansible-core 2.19 and
   * `jinja2_native` do; default true. false gives the ansible-core 2.14 default (results are strings,
   * except that text looking like a list/dict/bool is converted back, and a bare variable keeps its type).
   */
  native?: boolean;
  /**
   * Target ansible-core version. Unset: the 2.14-2.18 jinja2_native behaviour recorded in the oracle.
   * "2.19" or later: multi-part templates stay strings (no literal_eval) and conditionals must have a
   * boolean result.
   */
  coreVersion?: string;
  /** strip the first newline after a block tag; default true (Ansible's Templar and template module) */
  trimBlocks?: boolean;
  /** strip spaces before a block tag at line start; default false */
  lstripBlocks?: boolean;
  /**
   * Take string literals inside `{{ }}` as written (Ansible's escape_backslashes for templated vars and
   * module arguments); default true. The `template` module turns it off.
   */
  escapeBackslashes?: boolean;
  /** extra lookup plugins (name -> function returning the list of results) */
  lookups?: Record<string, LookupFn>;
  /** directory relative `lookup('file', ...)` paths start from; default process.cwd() */
  baseDir?: string;
  /** keep integral floats as PyFloat boxes in results (to tell 3.0 from 3); default false */
  keepFloats?: boolean;
  /**
   * Always render to text, never to native values or converted lists/dicts: the `template` module
   * (None prints as an empty string). Use with escapeBackslashes: false, as that module does.
   */
  asText?: boolean;
}

export interface CompiledExpression {
  evaluate(vars: Record<string, unknown>): unknown;
}
export interface CompiledTemplate {
  render(vars: Record<string, unknown>): unknown;
}

const defaultEnv: Env = { filters: FILTERS, tests: TESTS, lookups: BUILTIN_LOOKUPS, baseDir: process.cwd() };

function envFor(options: TemplateOptions | undefined): Env {
  if (!options || (!options.lookups && !options.baseDir)) return defaultEnv;
  const lookups = options.lookups ? new Map([...BUILTIN_LOOKUPS, ...Object.entries(options.lookups)]) : BUILTIN_LOOKUPS;
  return { filters: FILTERS, tests: TESTS, lookups, baseDir: options.baseDir ?? process.cwd() };
}

function is219(options: TemplateOptions | undefined): boolean {
  return options?.coreVersion !== undefined && coreAtLeast(options.coreVersion, '2.19');
}

function concatMode(options: TemplateOptions | undefined): ConcatMode {
  if (options?.asText) return 'text';
  if (options?.native === false) return 'string';
  return is219(options) ? 'native219' : 'native';
}

function finish(v: unknown, options: TemplateOptions | undefined): unknown {
  return options?.keepFloats ? readonlyPlain(v) : toPlain(v);
}

function wrapRuntime(e: unknown): TemplateError {
  if (e instanceof TemplateError) return e;
  if (e instanceof RangeError) return new TemplateError('runtime', `recursion or size limit exceeded: ${e.message}`, 0, 0);
  return new TemplateError('runtime', e instanceof Error ? e.message : String(e), 0, 0);
}

/** Ansible's message for Python TypeErrors raised while templating */
function withAnsibleContext(e: TemplateError, src: string): TemplateError {
  if (e.kind !== 'type' || e.ansibleMessage.startsWith('Unexpected templating type error')) return e;
  const msg = `Unexpected templating type error occurred on (${src}): ${e.message}. ${e.message}`;
  return new TemplateError(e.kind, e.message, e.offset, e.end, msg);
}

function lexOptions(options: TemplateOptions | undefined, forTemplate: boolean) {
  return {
    trimBlocks: options?.trimBlocks ?? true,
    lstripBlocks: options?.lstripBlocks ?? false,
    escapeBackslashes: forTemplate ? (options?.escapeBackslashes ?? true) : false,
  };
}

export function compileExpression(src: string, options?: TemplateOptions): CompiledExpression {
  const tokens = new Lexer(src, lexOptions(options, false)).lexExpression();
  const ast = new Parser(tokens).parseBareExpression();
  const env = envFor(options);
  const ev = new TemplateCompiler(env).compileExpr(ast);
  return {
    evaluate(vars) {
      const scope: Scope = { vars, frame: null, env };
      let v: unknown;
      try {
        v = ev(scope);
      } catch (e) {
        throw withAnsibleContext(wrapRuntime(e), src);
      }
      return finish(v, options);
    },
  };
}

export function parseTemplate(src: string, options?: TemplateOptions): Stmt[] {
  const tokens = new Lexer(src, lexOptions(options, true)).lexTemplate();
  return new Parser(tokens).parseTemplate();
}

function isPureRead(e: Expr): boolean {
  if (e.type === 'name') return true;
  if (e.type === 'getattr') return isPureRead(e.obj);
  if (e.type === 'getitem') return isPureRead(e.obj) && e.index.type === 'const';
  return false;
}

const SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}$/;

/** Ansible's wording for templates that do not compile (syntax errors, unknown filters and tests) */
function compileError(e: unknown, src: string): TemplateError {
  const err = wrapRuntime(e);
  const m = err.ansibleMessage;
  return new TemplateError(err.kind, err.message, err.offset, err.end, `template error while templating string: ${m}. String: ${src}. ${m}`, 'AnsibleError');
}

export function compileTemplate(src: string, options?: TemplateOptions): CompiledTemplate {
  try {
    return compileTemplateUnchecked(src, options);
  } catch (e) {
    throw compileError(e, src);
  }
}

function compileTemplateUnchecked(src: string, options?: TemplateOptions): CompiledTemplate {
  const body = parseTemplate(src, options);
  const env = envFor(options);
  const compiler = new TemplateCompiler(env);
  const mode = concatMode(options);
  const keepString = mode === 'string' ? hasNoTypeFilter(src) : isStringTypeOutput(body);
  const singleVar = mode === 'string' ? SINGLE_VAR.exec(src)?.[1] : undefined;
  // the common case `{{ expr }}`: no output array, no statements
  if (body.length === 1 && body[0].type === 'output' && (mode === 'native' || mode === 'native219')) {
    const ev = compiler.compileExpr(body[0].node);
    // a value read straight from the caller's vars holds no float boxes: skip the walk over it
    const pureRead = isPureRead(body[0].node);
    return {
      render(vars) {
        const scope: Scope = { vars, frame: null, env };
        let v: unknown;
        let raw: unknown;
        try {
          raw = ev(scope);
          if (raw instanceof Undefined && !raw.silent) throw raw.error();
          v = typeof raw === 'string' ? (keepString || mode === 'native219' ? raw : nativeLiteral(raw)) : raw instanceof Undefined ? null : raw;
        } catch (e) {
          throw withAnsibleContext(wrapRuntime(e), src);
        }
        return pureRead && v === raw ? v : finish(v, options);
      },
    };
  }
  const stmts = compiler.compileBody(body);
  return {
    render(vars) {
      if (singleVar) {
        // Ansible 2.14 returns a bare variable that is a bool, number or None without templating it
        const v = readKey(vars, singleVar);
        if (v === null || typeof v === 'boolean' || typeof v === 'number' || v instanceof PyFloat) return finish(v, options);
      }
      const scope: Scope = { vars, frame: null, env };
      const out: unknown[] = [];
      let v: unknown;
      try {
        for (const f of stmts) f(scope, out);
        v = concatOutput(out, mode, keepString);
      } catch (e) {
        throw withAnsibleContext(wrapRuntime(e), src);
      }
      return finish(v, options);
    },
  };
}

export function isTemplated(text: string): boolean {
  return text.includes('{{') || text.includes('{%') || text.includes('{#');
}

// ------------------------------------------------------------------ caches

const CACHE_LIMIT = 5000;

/**
 * Compiled sources per option set. Keyed first by the options (their key is memoised per options
 * object), then by source text, so a lookup hashes the source string only: the executor calls
 * evaluateConditional/templateValue with the same strings over and over.
 */
class CompileCache<T> {
  private readonly byOptions = new Map<string, Map<string, T>>();
  private size = 0;
  get(options: TemplateOptions | undefined, src: string, make: () => T): T {
    const key = optionsKey(options);
    let map = this.byOptions.get(key);
    if (map === undefined) {
      map = new Map();
      this.byOptions.set(key, map);
    }
    let v = map.get(src);
    if (v === undefined) {
      v = make();
      if (this.size >= CACHE_LIMIT) {
        this.byOptions.clear();
        this.size = 0;
        map = new Map();
        this.byOptions.set(key, map);
      }
      map.set(src, v);
      this.size++;
    }
    return v;
  }
}

const keyOf = new WeakMap<TemplateOptions, string>();

function optionsKey(options: TemplateOptions | undefined): string {
  if (!options) return '';
  // the usual options ({ native, coreVersion }) get a short key without touching the WeakMap
  if (options.asText === undefined && options.trimBlocks === undefined && options.lstripBlocks === undefined && options.escapeBackslashes === undefined && options.keepFloats === undefined && options.baseDir === undefined) {
    return options.native === false ? (options.coreVersion === undefined ? 's' : 's' + options.coreVersion) : options.coreVersion === undefined ? 'n' : 'n' + options.coreVersion;
  }
  let key = keyOf.get(options);
  if (key === undefined) {
    key = `${options.asText ? 't' : options.native === false ? 's' : 'n'}${options.coreVersion ?? ''}||${options.trimBlocks === false ? 0 : 1}${options.lstripBlocks ? 1 : 0}${options.escapeBackslashes === false ? 0 : 1}${options.keepFloats ? 1 : 0}|${options.baseDir ?? ''}`;
    keyOf.set(options, key);
  }
  return key;
}

type Compiled<T> = { ok: T } | { error: TemplateError };

const templateCache = new CompileCache<Compiled<CompiledTemplate>>();
const expressionCache = new CompileCache<Compiled<CompiledExpression>>();

/** Options carrying lookups are compared by object identity of their functions, so they bypass the cache */
function cacheable(options: TemplateOptions | undefined): boolean {
  return !options?.lookups;
}

export function cachedTemplate(src: string, options?: TemplateOptions): CompiledTemplate {
  const make = (): Compiled<CompiledTemplate> => {
    try {
      return { ok: compileTemplate(src, options) };
    } catch (e) {
      return { error: wrapRuntime(e) };
    }
  };
  const c = cacheable(options) ? templateCache.get(options, src, make) : make();
  if ('error' in c) throw c.error;
  return c.ok;
}

export function cachedExpression(src: string, options?: TemplateOptions): CompiledExpression {
  const make = (): Compiled<CompiledExpression> => {
    try {
      return { ok: compileExpression(src, options) };
    } catch (e) {
      return { error: wrapRuntime(e) };
    }
  };
  const c = cacheable(options) ? expressionCache.get(options, src, make) : make();
  if ('error' in c) throw c.error;
  return c.ok;
}

// ------------------------------------------------------------------ conditionals

const BROKEN_CONDITIONAL = 'AnsibleBrokenConditionalError';

/** Ansible 2.14 evaluates a conditional as the template below; its errors quote it */
function conditionalError(src: string, e: TemplateError, wrapped: boolean): TemplateError {
  // 2.19 reports a non-boolean result on its own (its error format has no "conditional check" wrapper)
  if (e.ansibleClass === BROKEN_CONDITIONAL) return e;
  const presented = `{% if ${src} %} True {% else %} False {% endif %}`;
  let inner: string;
  if (wrapped) inner = e.ansibleMessage;
  else if (e.kind === 'undefined') inner = `error while evaluating conditional (${src}): ${e.ansibleMessage}`;
  else if (e.kind === 'type') inner = `Unexpected templating type error occurred on (${presented}): ${e.message}. ${e.message}`;
  else if (e.kind === 'syntax' || e.ansibleClass === 'AnsibleError') inner = `template error while templating string: ${e.ansibleMessage}. String: ${presented}. ${e.ansibleMessage}`;
  else inner = e.ansibleMessage;
  const msg = `The conditional check '${src}' failed. The error was: ${inner}`;
  return new TemplateError(e.kind, msg, e.offset, e.end, msg, 'AnsibleError');
}

function strictBoolean(v: unknown, src: string, options: TemplateOptions | undefined): boolean {
  if (typeof v === 'boolean') return v;
  if (is219(options)) {
    const shown = truthy(v) ? 'True' : 'False';
    const msg = `Conditional result (${shown}) was derived from value of type '${pyTypeName(v)}' at '${src}'. Conditionals must have a boolean result.`;
    throw new TemplateError('type', msg, 0, src.length, msg, BROKEN_CONDITIONAL);
  }
  return truthy(v);
}

/**
 * Ansible's when/until/failed_when/changed_when: a bare expression (or a `{{ }}` template, which Ansible
 * accepts with a warning). Empty means true. Errors carry Ansible's "The conditional check ... failed" text.
 */
export function evaluateConditional(src: string | boolean, vars: Record<string, unknown>, options?: TemplateOptions): boolean {
  if (typeof src === 'boolean') return src;
  if (src === null || src === undefined) return true;
  const text = String(src);
  if (text.trim() === '') return true;
  try {
    if (isTemplated(text)) {
      const v = cachedTemplate(text, options).render(vars);
      if (typeof v !== 'string') return strictBoolean(v, text, options);
      if (v === '') return false;
      // the rendered text is itself evaluated as an expression, as Ansible does
      return strictBoolean(cachedExpression(v, options).evaluate(vars), text, options);
    }
    return strictBoolean(cachedExpression(text, options).evaluate(vars), text, options);
  } catch (e) {
    throw conditionalError(text, wrapRuntime(e), isTemplated(text));
  }
}

// ------------------------------------------------------------------ templating data

/**
 * Templates every string inside lists/dicts (module args, vars). Strings without Jinja markers and
 * untouched containers are returned as they are (no copy).
 */
export function templateValue(value: unknown, vars: Record<string, unknown>, options?: TemplateOptions): unknown {
  if (typeof value === 'string') return isTemplated(value) ? cachedTemplate(value, options).render(vars) : value;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const t = templateValue(value[i], vars, options);
      if (t !== value[i]) {
        out ??= value.slice();
        out[i] = t;
      }
    }
    return out ?? value;
  }
  if (typeof value === 'object' && value !== null && !(value instanceof PyFloat)) {
    let out: Record<string, unknown> | null = null;
    const obj = value as Record<string, unknown>;
    for (const k of Object.keys(obj)) {
      const t = templateValue(obj[k], vars, options);
      if (t !== obj[k]) {
        out ??= { ...obj };
        out[k] = t;
      }
    }
    return out ?? value;
  }
  return value;
}
