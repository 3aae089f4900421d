/** State shared while building the model of one playbook and the files it pulls in. */
import type { Diagnostic, ProblemCode, SourceFile } from './model';
import type { YamlDoc } from './yaml-nodes';

export interface ParseOptions {
  /** reads a file for imports/roles; undefined when it cannot be read. Without it nothing is followed. */
  readFile?(path: string): string | undefined;
  /** directory of the top-level playbook (roles/ is looked up beside it); defaults to the playbook's own */
  playbookDir?: string;
  /** how deep imports may nest before we stop following (Ansible has no limit; cycles are caught separately) */
  maxDepth?: number;
}

export interface FileContext {
  file: SourceFile;
  doc: YamlDoc;
  problems: Diagnostic[];
  options: ParseOptions;
  playbookDir: string;
  /** files being parsed, outermost first: a path already on the stack is a cycle */
  stack: string[];
  /** role whose files these are, for role-relative lookups */
  role?: { name: string; dir: string };
}

export function problem(ctx: { file: SourceFile; problems: Diagnostic[] }, span: { start: number; end: number }, code: ProblemCode, message: string, severity: Diagnostic['severity'] = 'error'): void {
  ctx.problems.push({ file: ctx.file, span, severity, code, message });
}
