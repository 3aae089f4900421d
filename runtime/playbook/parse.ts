/**
 * Entry points: playbook text → Playbook, task-file text → tasks. Never throw: YAML errors and structural
 * problems are collected in `problems` with spans, and the model holds whatever could be understood.
 */
import { dirname, resolve } from 'node:path';
import type { FileContext, ParseOptions } from './context';
import type { Diagnostic, Playbook, SourceFile, Task } from './model';
import { buildPlays } from './play-parse';
import { createSourceFile } from './source';
import { buildTaskList } from './task-parse';
import { parseYaml } from './yaml-nodes';

export type { ParseOptions } from './context';

function rootContext(path: string, text: string, options: ParseOptions, problems: Diagnostic[]): FileContext {
  const file = createSourceFile(path, text);
  const doc = parseYaml(file, problems);
  const abs = safeResolve(path);
  return { file, doc, problems, options, playbookDir: options.playbookDir ?? dirname(abs), stack: [abs] };
}

function safeResolve(path: string): string {
  try {
    return resolve(path);
  } catch {
    return path;
  }
}

function internalError(file: SourceFile, error: unknown): Diagnostic {
  return {
    file,
    span: { start: 0, end: 0 },
    severity: 'error',
    code: 'internal',
    message: `could not analyse this file: ${error instanceof Error ? error.message : String(error)}`,
  };
}

export function parsePlaybook(path: string, text: string, options: ParseOptions = {}): Playbook {
  const problems: Diagnostic[] = [];
  let ctx: FileContext | undefined;
  try {
    ctx = rootContext(path, text, options, problems);
    const plays = buildPlays(ctx.doc.contents, ctx);
    return { file: ctx.file, plays, problems };
  } catch (error) {
    // a model bug must not take the language server or a run down: report it on the file instead
    const file = ctx?.file ?? createSourceFile(path, text);
    problems.push(internalError(file, error));
    return { file, plays: [], problems };
  }
}

export interface TaskFile {
  file: SourceFile;
  tasks: Task[];
  problems: Diagnostic[];
}

/** A task file (roles/x/tasks/main.yml, a file for import_tasks): a list of tasks, blocks and includes. */
export function parseTaskFile(path: string, text: string, options: ParseOptions & { role?: string; handlers?: boolean } = {}): TaskFile {
  const problems: Diagnostic[] = [];
  let ctx: FileContext | undefined;
  try {
    ctx = rootContext(path, text, options, problems);
    if (options.role) ctx.role = { name: options.role, dir: dirname(dirname(safeResolve(path))) };
    const tasks = buildTaskList(ctx.doc.contents, ctx, options.handlers ? 'handlers' : 'tasks', {
      scope: options.handlers ? 'handler' : 'task',
      parents: [],
      role: options.role,
    }, { start: 0, end: 0 });
    return { file: ctx.file, tasks, problems };
  } catch (error) {
    const file = ctx?.file ?? createSourceFile(path, text);
    problems.push(internalError(file, error));
    return { file, tasks: [], problems };
  }
}
