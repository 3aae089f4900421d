/** Syntax tree of Jinja expressions and template statements; every node carries its source span. */

interface Span {
  offset: number;
  end: number;
}

export interface CallArgs {
  args: Expr[];
  kwargs: { name: string; value: Expr }[];
}

export type Expr =
  | (Span & { type: 'const'; value: unknown })
  | (Span & { type: 'name'; name: string })
  | (Span & { type: 'list'; items: Expr[] })
  | (Span & { type: 'tuple'; items: Expr[] })
  | (Span & { type: 'dict'; pairs: [Expr, Expr][] })
  | (Span & { type: 'getattr'; obj: Expr; attr: string })
  | (Span & { type: 'getitem'; obj: Expr; index: Expr })
  | (Span & { type: 'slice'; obj: Expr; start: Expr | null; stop: Expr | null; step: Expr | null })
  | (Span & { type: 'call'; fn: Expr } & CallArgs)
  | (Span & { type: 'filter'; input: Expr; name: string; nameOffset: number; nameEnd: number } & CallArgs)
  | (Span & { type: 'test'; input: Expr; name: string; negated: boolean; nameOffset: number; nameEnd: number } & CallArgs)
  | (Span & { type: 'unary'; op: 'not' | '-' | '+'; node: Expr })
  | (Span & { type: 'binary'; op: string; left: Expr; right: Expr })
  | (Span & { type: 'compare'; first: Expr; ops: { op: string; node: Expr }[] })
  | (Span & { type: 'cond'; test: Expr; then: Expr; otherwise: Expr | null });

export type Target = Span & { names: { name: string; offset: number; end: number }[]; tuple: boolean };

export type Stmt =
  | (Span & { type: 'data'; text: string })
  | (Span & { type: 'output'; node: Expr })
  | (Span & { type: 'if'; branches: { test: Expr; body: Stmt[] }[]; otherwise: Stmt[] | null })
  | (Span & { type: 'for'; target: Target; iter: Expr; filter: Expr | null; body: Stmt[]; otherwise: Stmt[] | null })
  | (Span & { type: 'set'; target: Target; value: Expr })
  | (Span & { type: 'setattr'; name: string; attr: string; value: Expr })
  | (Span & { type: 'setblock'; target: Target; body: Stmt[] })
  | (Span & { type: 'with'; assignments: { target: Target; value: Expr }[]; body: Stmt[] });
