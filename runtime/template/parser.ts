/**
 * Recursive-descent parser for Jinja2 expressions and template statements, following Jinja's own
 * grammar and operator precedence (jinja2/parser.py), with spans on every node.
 */
import type { CallArgs, Expr, Stmt, Target } from './ast';
import { TemplateError } from './errors';
import type { Token } from './lexer';
import { makeFloat } from './values';

const COMPARE_OPS = new Set(['==', '!=', '<', '>', '<=', '>=']);
const CONSTANTS: Record<string, unknown> = { true: true, false: false, none: null, True: true, False: false, None: null };
const DESCRIBE: Record<string, string> = {
  var_end: 'end of print statement',
  block_end: 'end of statement block',
  eof: 'end of template',
  var_begin: 'begin of print statement',
  block_begin: 'begin of statement block',
};

function describe(t: Token): string {
  if (t.type in DESCRIBE) return DESCRIBE[t.type];
  return t.type === 'string' ? 'string' : t.value;
}

/** Strips the collection prefix of FQCN plugin names (`ansible.builtin.to_json` -> `to_json`). */
export function shortPluginName(name: string): string {
  const m = /^ansible\.(?:builtin|legacy|netcommon|utils|posix)\.(.+)$/.exec(name);
  return m ? m[1] : name;
}

export class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  private get cur(): Token {
    return this.tokens[this.i];
  }
  private peek(n = 1): Token {
    return this.tokens[Math.min(this.i + n, this.tokens.length - 1)];
  }
  private next(): Token {
    const t = this.tokens[this.i];
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }
  private isOp(v: string, t: Token = this.cur): boolean {
    return t.type === 'op' && t.value === v;
  }
  private isName(v: string, t: Token = this.cur): boolean {
    return t.type === 'name' && t.value === v;
  }
  private skipOp(v: string): boolean {
    if (this.isOp(v)) {
      this.next();
      return true;
    }
    return false;
  }
  private skipName(v: string): boolean {
    if (this.isName(v)) {
      this.next();
      return true;
    }
    return false;
  }

  fail(message: string, t: Token = this.cur): never {
    // at the end of input the span is empty (there is no character to underline)
    throw new TemplateError('syntax', message, t.offset, t.type === 'eof' ? t.offset : Math.max(t.end, t.offset + 1));
  }

  private unexpected(t: Token = this.cur, expected?: string): never {
    if (t.type === 'eof' && expected) this.fail(`unexpected end of template, expected '${expected}'.`, t);
    if (expected) this.fail(`expected token '${expected}', got '${describe(t)}'`, t);
    this.fail(`unexpected '${describe(t)}'`, t);
  }

  private expectOp(v: string): Token {
    if (!this.isOp(v)) this.unexpected(this.cur, v);
    return this.next();
  }
  private expectType(type: Token['type']): Token {
    if (this.cur.type !== type) this.unexpected(this.cur, DESCRIBE[type] ?? type);
    return this.next();
  }

  // ---------------------------------------------------------------- expressions

  /** A whole bare expression (conditionals): expression then end of input */
  parseBareExpression(): Expr {
    const e = this.parseTuple();
    if (this.cur.type !== 'eof') this.unexpected();
    return e;
  }

  /** Jinja's parse_tuple: `a, b` without parentheses makes a tuple */
  parseTuple(simplified = false, withCondexpr = true): Expr {
    const start = this.cur;
    const items: Expr[] = [];
    let isTuple = false;
    for (;;) {
      if (items.length > 0 && !this.skipOp(',')) break;
      if (items.length > 0) isTuple = true;
      if (this.isTupleEnd()) break;
      items.push(simplified ? this.parsePrimary() : this.parseExpression(withCondexpr));
    }
    if (!isTuple) {
      if (items.length === 0) this.unexpected();
      return items[0];
    }
    const last = this.tokens[this.i - 1];
    return { type: 'tuple', items, offset: start.offset, end: last.end };
  }

  private isTupleEnd(): boolean {
    const t = this.cur;
    return t.type === 'var_end' || t.type === 'block_end' || t.type === 'eof' || this.isOp(')') || this.isOp(']') || this.isOp('}') || this.isOp('=') || this.isName('in') || this.isName('recursive') || this.isName('if');
  }

  parseExpression(withCondexpr = true): Expr {
    return withCondexpr ? this.parseCondexpr() : this.parseOr();
  }

  private parseCondexpr(): Expr {
    let expr = this.parseOr();
    while (this.isName('if')) {
      this.next();
      const test = this.parseOr();
      let otherwise: Expr | null = null;
      if (this.skipName('else')) otherwise = this.parseCondexpr();
      expr = { type: 'cond', test, then: expr, otherwise, offset: expr.offset, end: (otherwise ?? test).end };
    }
    return expr;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isName('or')) {
      this.next();
      const right = this.parseAnd();
      left = { type: 'binary', op: 'or', left, right, offset: left.offset, end: right.end };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isName('and')) {
      this.next();
      const right = this.parseNot();
      left = { type: 'binary', op: 'and', left, right, offset: left.offset, end: right.end };
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.isName('not')) {
      const t = this.next();
      const node = this.parseNot();
      return { type: 'unary', op: 'not', node, offset: t.offset, end: node.end };
    }
    return this.parseCompare();
  }

  private parseCompare(): Expr {
    const first = this.parseMath1();
    const ops: { op: string; node: Expr }[] = [];
    for (;;) {
      const t = this.cur;
      if (t.type === 'op' && COMPARE_OPS.has(t.value)) {
        this.next();
        ops.push({ op: t.value, node: this.parseMath1() });
      } else if (this.isName('in')) {
        this.next();
        ops.push({ op: 'in', node: this.parseMath1() });
      } else if (this.isName('not') && this.isName('in', this.peek())) {
        this.next();
        this.next();
        ops.push({ op: 'notin', node: this.parseMath1() });
      } else break;
    }
    if (ops.length === 0) return first;
    return { type: 'compare', first, ops, offset: first.offset, end: ops[ops.length - 1].node.end };
  }

  private parseBinaryLevel(ops: string[], sub: () => Expr): Expr {
    let left = sub();
    while (this.cur.type === 'op' && ops.includes(this.cur.value)) {
      const op = this.next().value;
      const right = sub();
      left = { type: 'binary', op, left, right, offset: left.offset, end: right.end };
    }
    return left;
  }

  private parseMath1(): Expr {
    return this.parseBinaryLevel(['+', '-'], () => this.parseConcat());
  }
  private parseConcat(): Expr {
    return this.parseBinaryLevel(['~'], () => this.parseMath2());
  }
  private parseMath2(): Expr {
    return this.parseBinaryLevel(['*', '/', '//', '%'], () => this.parsePow());
  }
  private parsePow(): Expr {
    return this.parseBinaryLevel(['**'], () => this.parseUnary());
  }

  private parseUnary(withFilter = true): Expr {
    let node: Expr;
    if (this.isOp('-') || this.isOp('+')) {
      const t = this.next();
      const operand = this.parseUnary(false);
      node = { type: 'unary', op: t.value as '-' | '+', node: operand, offset: t.offset, end: operand.end };
    } else {
      node = this.parsePostfix(this.parsePrimary());
    }
    return withFilter ? this.parseFilterExpr(node) : node;
  }

  parsePrimary(): Expr {
    const t = this.cur;
    switch (t.type) {
      case 'name': {
        this.next();
        if (Object.prototype.hasOwnProperty.call(CONSTANTS, t.value)) return { type: 'const', value: CONSTANTS[t.value], offset: t.offset, end: t.end };
        return { type: 'name', name: t.value, offset: t.offset, end: t.end };
      }
      case 'string': {
        this.next();
        let value = t.value;
        let end = t.end;
        while (this.cur.type === 'string') {
          value += this.cur.value;
          end = this.next().end;
        }
        return { type: 'const', value, offset: t.offset, end };
      }
      case 'int':
        this.next();
        return { type: 'const', value: t.num, offset: t.offset, end: t.end };
      case 'float': {
        this.next();
        return { type: 'const', value: makeFloat(t.num!), offset: t.offset, end: t.end };
      }
      case 'op':
        if (t.value === '(') {
          this.next();
          if (this.isOp(')')) {
            const e = this.next();
            return { type: 'tuple', items: [], offset: t.offset, end: e.end };
          }
          const inner = this.parseTuple();
          const close = this.expectOp(')');
          // keep the parentheses in the span so errors underline what the user wrote
          return { ...inner, offset: inner.type === 'tuple' ? t.offset : inner.offset, end: inner.type === 'tuple' ? close.end : inner.end };
        }
        if (t.value === '[') return this.parseList();
        if (t.value === '{') return this.parseDict();
    }
    return this.unexpected(t);
  }

  private parseList(): Expr {
    const open = this.expectOp('[');
    const items: Expr[] = [];
    while (!this.isOp(']')) {
      if (items.length > 0) this.expectOp(',');
      if (this.isOp(']')) break;
      items.push(this.parseExpression());
    }
    const close = this.expectOp(']');
    return { type: 'list', items, offset: open.offset, end: close.end };
  }

  private parseDict(): Expr {
    const open = this.expectOp('{');
    const pairs: [Expr, Expr][] = [];
    while (!this.isOp('}')) {
      if (pairs.length > 0) this.expectOp(',');
      if (this.isOp('}')) break;
      const key = this.parseExpression();
      this.expectOp(':');
      pairs.push([key, this.parseExpression()]);
    }
    const close = this.expectOp('}');
    return { type: 'dict', pairs, offset: open.offset, end: close.end };
  }

  private parsePostfix(node: Expr): Expr {
    for (;;) {
      if (this.isOp('.') || this.isOp('[')) node = this.parseSubscript(node);
      else if (this.isOp('(')) node = this.parseCall(node);
      else return node;
    }
  }

  private parseFilterExpr(node: Expr): Expr {
    for (;;) {
      if (this.isOp('|')) node = this.parseFilter(node);
      else if (this.isName('is')) node = this.parseTest(node);
      else if (this.isOp('(')) node = this.parseCall(node);
      else return node;
    }
  }

  private parseSubscript(node: Expr): Expr {
    const t = this.next();
    if (t.value === '.') {
      const attr = this.cur;
      if (attr.type === 'name') {
        this.next();
        return { type: 'getattr', obj: node, attr: attr.value, offset: node.offset, end: attr.end };
      }
      if (attr.type === 'int') {
        this.next();
        return { type: 'getitem', obj: node, index: { type: 'const', value: attr.num, offset: attr.offset, end: attr.end }, offset: node.offset, end: attr.end };
      }
      this.unexpected(attr, 'name');
    }
    // '[' subscript: index, slice or tuple of them
    const parts: Expr[] = [];
    let slice: { start: Expr | null; stop: Expr | null; step: Expr | null } | null = null;
    while (!this.isOp(']')) {
      if (parts.length > 0 || slice) {
        this.expectOp(',');
        this.fail('tuple indexes are not supported');
      }
      const start = this.isOp(':') ? null : this.parseExpression();
      if (this.skipOp(':')) {
        const stop = this.isOp(']') || this.isOp(':') || this.isOp(',') ? null : this.parseExpression();
        let step: Expr | null = null;
        if (this.skipOp(':')) step = this.isOp(']') || this.isOp(',') ? null : this.parseExpression();
        slice = { start, stop, step };
      } else if (start) parts.push(start);
    }
    const close = this.expectOp(']');
    if (slice) return { type: 'slice', obj: node, ...slice, offset: node.offset, end: close.end };
    if (parts.length === 0) this.fail("expected subscript expression", close);
    return { type: 'getitem', obj: node, index: parts[0], offset: node.offset, end: close.end };
  }

  private parseCallArgs(): CallArgs & { end: number } {
    this.expectOp('(');
    const args: Expr[] = [];
    const kwargs: { name: string; value: Expr }[] = [];
    let first = true;
    while (!this.isOp(')')) {
      if (!first) this.expectOp(',');
      first = false;
      if (this.isOp(')')) break;
      if (this.isOp('*') || this.isOp('**')) this.fail('*args and **kwargs in calls are not supported');
      if (this.cur.type === 'name' && this.isOp('=', this.peek())) {
        const key = this.next().value;
        this.next();
        kwargs.push({ name: key, value: this.parseExpression() });
      } else {
        if (kwargs.length > 0) this.fail('positional argument after keyword argument');
        args.push(this.parseExpression());
      }
    }
    const close = this.expectOp(')');
    return { args, kwargs, end: close.end };
  }

  private parseCall(fn: Expr): Expr {
    const { args, kwargs, end } = this.parseCallArgs();
    return { type: 'call', fn, args, kwargs, offset: fn.offset, end };
  }

  private parseDottedName(): { name: string; offset: number; end: number } {
    const first = this.cur;
    if (first.type !== 'name') this.unexpected(first, 'name');
    this.next();
    let name = first.value;
    let end = first.end;
    while (this.isOp('.') && this.peek().type === 'name') {
      this.next();
      const part = this.next();
      name += '.' + part.value;
      end = part.end;
    }
    return { name: shortPluginName(name), offset: first.offset, end };
  }

  private parseFilter(input: Expr): Expr {
    this.expectOp('|');
    const n = this.parseDottedName();
    let call: CallArgs = { args: [], kwargs: [] };
    let end = n.end;
    if (this.isOp('(')) {
      const c = this.parseCallArgs();
      call = c;
      end = c.end;
    }
    return { type: 'filter', input, name: n.name, nameOffset: n.offset, nameEnd: n.end, ...call, offset: input.offset, end };
  }

  private parseTest(input: Expr): Expr {
    this.next(); // 'is'
    const negated = this.skipName('not');
    const n = this.parseDottedName();
    let call: CallArgs = { args: [], kwargs: [] };
    let end = n.end;
    const t = this.cur;
    if (this.isOp('(')) {
      const c = this.parseCallArgs();
      call = c;
      end = c.end;
    } else if (
      (t.type === 'name' || t.type === 'string' || t.type === 'int' || t.type === 'float' || this.isOp('[') || this.isOp('{')) &&
      !this.isName('else') &&
      !this.isName('or') &&
      !this.isName('and')
    ) {
      if (this.isName('is')) this.fail('You cannot chain multiple tests with is');
      const arg = this.parsePostfix(this.parsePrimary());
      call = { args: [arg], kwargs: [] };
      end = arg.end;
    }
    return { type: 'test', input, name: n.name, negated, nameOffset: n.offset, nameEnd: n.end, ...call, offset: input.offset, end };
  }

  // ---------------------------------------------------------------- statements

  /** A template body until eof */
  parseTemplate(): Stmt[] {
    const body = this.parseBody([]);
    if (this.cur.type !== 'eof') this.unexpected();
    return body;
  }

  /** Parses statements until a block tag whose name is one of `endTags` (left unconsumed) */
  private parseBody(endTags: string[], opener?: Token): Stmt[] {
    const body: Stmt[] = [];
    for (;;) {
      const t = this.cur;
      if (t.type === 'eof') {
        // underline the unclosed tag, which is where the fix goes
        if (endTags.length) this.fail(`Unexpected end of template. Jinja was looking for the following tags: ${endTags.map((e) => `'${e}'`).join(' or ')}.`, opener ?? t);
        return body;
      }
      if (t.type === 'data' || t.type === 'raw') {
        this.next();
        body.push({ type: 'data', text: t.value, offset: t.offset, end: t.end });
      } else if (t.type === 'var_begin') {
        this.next();
        const node = this.parseTuple();
        const close = this.expectType('var_end');
        body.push({ type: 'output', node, offset: t.offset, end: close.end });
      } else if (t.type === 'block_begin') {
        const tag = this.peek();
        if (tag.type === 'name' && endTags.includes(tag.value)) return body;
        this.next();
        body.push(this.parseStatement(t));
      } else this.unexpected(t);
    }
  }

  private expectBlockEnd(): Token {
    return this.expectType('block_end');
  }

  private parseStatement(begin: Token): Stmt {
    const tag = this.cur;
    if (tag.type !== 'name') this.fail('tag name expected', tag);
    switch (tag.value) {
      case 'if':
        return this.parseIf(begin);
      case 'for':
        return this.parseFor(begin);
      case 'set':
        return this.parseSet(begin);
      case 'with':
        return this.parseWith(begin);
      case 'endif':
      case 'endfor':
      case 'else':
      case 'elif':
      case 'endset':
      case 'endwith':
        this.fail(`Encountered unknown tag '${tag.value}'.`, tag);
    }
    return this.fail(`Encountered unknown tag '${tag.value}'.`, tag);
  }

  private parseIf(begin: Token): Stmt {
    this.next(); // if
    const branches: { test: Expr; body: Stmt[] }[] = [];
    let otherwise: Stmt[] | null = null;
    let test = this.parseTuple();
    this.expectBlockEnd();
    for (;;) {
      const body = this.parseBody(['elif', 'else', 'endif'], begin);
      branches.push({ test, body });
      this.next(); // block_begin
      const tag = this.next();
      if (tag.value === 'elif') {
        test = this.parseTuple();
        this.expectBlockEnd();
        continue;
      }
      if (tag.value === 'else') {
        this.expectBlockEnd();
        otherwise = this.parseBody(['endif'], begin);
        this.next();
        this.next();
      }
      const end = this.expectBlockEnd();
      return { type: 'if', branches, otherwise, offset: begin.offset, end: end.end };
    }
  }

  private parseTarget(): Target {
    const first = this.cur;
    const names: { name: string; offset: number; end: number }[] = [];
    let tuple = false;
    const paren = this.skipOp('(');
    for (;;) {
      const t = this.cur;
      if (t.type !== 'name') this.unexpected(t, 'name');
      this.next();
      names.push({ name: t.value, offset: t.offset, end: t.end });
      if (!this.skipOp(',')) break;
      tuple = true;
      if (this.cur.type !== 'name') break;
    }
    if (paren) this.expectOp(')');
    return { names, tuple: tuple || paren, offset: first.offset, end: this.tokens[this.i - 1].end };
  }

  private parseFor(begin: Token): Stmt {
    this.next(); // for
    const target = this.parseTarget();
    if (!this.skipName('in')) this.unexpected(this.cur, 'in');
    // `for x in items if cond`: the `if` filters the loop, it is not an inline if-expression
    const iter = this.parseTuple(false, false);
    let filter: Expr | null = null;
    if (this.skipName('if')) filter = this.parseExpression();
    if (this.isName('recursive')) this.fail('recursive loops are not supported');
    this.expectBlockEnd();
    const body = this.parseBody(['endfor', 'else'], begin);
    let otherwise: Stmt[] | null = null;
    this.next();
    if (this.next().value === 'else') {
      this.expectBlockEnd();
      otherwise = this.parseBody(['endfor'], begin);
      this.next();
      this.next();
    }
    const end = this.expectBlockEnd();
    return { type: 'for', target, iter, filter, body, otherwise, offset: begin.offset, end: end.end };
  }

  private parseSet(begin: Token): Stmt {
    this.next(); // set
    // `{% set ns.attr = value %}` assigns into a namespace()
    if (this.cur.type === 'name' && this.isOp('.', this.peek()) && this.peek(2).type === 'name') {
      const name = this.next().value;
      this.next();
      const attr = this.next().value;
      this.expectOp('=');
      const value = this.parseTuple();
      const end = this.expectBlockEnd();
      return { type: 'setattr', name, attr, value, offset: begin.offset, end: end.end };
    }
    const target = this.parseTarget();
    if (this.skipOp('=')) {
      const value = this.parseTuple();
      const end = this.expectBlockEnd();
      return { type: 'set', target, value, offset: begin.offset, end: end.end };
    }
    this.expectBlockEnd();
    const body = this.parseBody(['endset'], begin);
    this.next();
    this.next();
    const end = this.expectBlockEnd();
    return { type: 'setblock', target, body, offset: begin.offset, end: end.end };
  }

  private parseWith(begin: Token): Stmt {
    this.next(); // with
    const assignments: { target: Target; value: Expr }[] = [];
    while (this.cur.type !== 'block_end') {
      if (assignments.length) this.expectOp(',');
      const target = this.parseTarget();
      this.expectOp('=');
      assignments.push({ target, value: this.parseExpression() });
    }
    this.expectBlockEnd();
    const body = this.parseBody(['endwith'], begin);
    this.next();
    this.next();
    const end = this.expectBlockEnd();
    return { type: 'with', assignments, body, offset: begin.offset, end: end.end };
  }
}
