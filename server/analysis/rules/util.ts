/** Small helpers every rule uses to build findings. */
import type { Entry, Task } from '../../../runtime/playbook/model';
import type { Finding, Fix, Rule, Severity } from '../types';

export function findingAt(rule: Pick<Rule, 'code' | 'severity'>, task: Task, span: { start: number; end: number }, message: string, fixes?: Fix[], severity?: Severity): Finding {
  return { code: rule.code, severity: severity ?? rule.severity, file: task.file, span, message, ...(fixes && fixes.length ? { fixes } : {}) };
}

/** the span a finding about a keyword should cover: `key: value` */
export function entrySpan(entry: Entry): { start: number; end: number } {
  return { start: entry.keySpan.start, end: Math.max(entry.valueSpan.end, entry.keySpan.end) };
}

/** the span naming a task when no single keyword is to blame: the action key, else the first line */
export function taskSpan(task: Task): { start: number; end: number } {
  return task.actionSpan ?? task.headSpan;
}

export function taskLabel(task: Task): string {
  return task.name ? `'${task.name}'` : task.action ? `the ${task.action} task` : 'this task';
}
