/** `check` output: human lines (file:line:col: severity code: message) and the --json document. */
import { spanLines } from '../../runtime/playbook/source';
import type { AnalysisResult } from '../../server/analysis/analyze';
import type { Finding } from '../../server/analysis/types';
import type { SourceFile } from '../../runtime/playbook/model';

export interface JsonFinding {
  code: string;
  severity: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export interface JsonBudget {
  line: number;
  task: string;
  kind: 'async' | 'join' | 'until' | 'play';
  seconds: number | null;
  unbounded: boolean;
  text: string;
}

export interface JsonFile {
  path: string;
  findings: JsonFinding[];
  budgets: JsonBudget[];
}

export function jsonFinding(f: Finding): JsonFinding {
  const l = spanLines(f.file, f.span);
  return { code: f.code, severity: f.severity, line: l.line, column: l.column, endLine: l.endLine, endColumn: l.endColumn, message: f.message };
}

function lineOf(file: SourceFile, offset: number): number {
  return file.position(offset).line + 1;
}

/** budgets of the tasks written in `path` and of its plays */
export function jsonBudgets(result: AnalysisResult, path: string): JsonBudget[] {
  const out: JsonBudget[] = [];
  for (const { play, budget } of result.playBudgets) {
    if (play.file.path !== path) continue;
    out.push({ line: lineOf(play.file, play.headSpan.start), task: play.name ?? '', kind: 'play', seconds: budget.seconds, unbounded: budget.unbounded, text: budget.text });
  }
  for (const { task, budget } of result.taskBudgets) {
    if (task.file.path !== path || !budget.relevant) continue;
    if (budget.kind !== 'async' && budget.kind !== 'join' && budget.kind !== 'until') continue;
    out.push({ line: lineOf(task.file, task.headSpan.start), task: task.name ?? task.action ?? '', kind: budget.kind, seconds: budget.seconds, unbounded: budget.unbounded, text: budget.text });
  }
  return out.sort((a, b) => a.line - b.line);
}

export function humanLine(f: Finding): string {
  const l = spanLines(f.file, f.span);
  return `${f.file.path}:${l.line}:${l.column}: ${f.severity} ${f.code}: ${f.message}`;
}
