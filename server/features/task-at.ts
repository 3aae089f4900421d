/** What is under the cursor: the innermost task of this file containing an offset, and the entry there. */
import type { Entry, Task } from '../../runtime/playbook/model';
import type { AnalysisResult } from '../analysis/analyze';
import type { TaskRef } from '../analysis/walk';

export function taskAt(result: AnalysisResult, path: string, offset: number): TaskRef | undefined {
  let best: TaskRef | undefined;
  for (const ref of result.facts.tasks) {
    const t = ref.task;
    if (t.file.path !== path || offset < t.span.start || offset > t.span.end) continue;
    if (!best || t.span.end - t.span.start <= best.task.span.end - best.task.span.start) best = ref;
  }
  return best;
}

export function entryAt(task: Task, offset: number): { entry: Entry; on: 'key' | 'value'; where: 'keyword' | 'arg' } | undefined {
  const inSpan = (s: { start: number; end: number }) => offset >= s.start && offset <= s.end;
  for (const e of Object.values(task.keywords)) {
    if (inSpan(e.keySpan)) return { entry: e, on: 'key', where: 'keyword' };
    if (inSpan(e.valueSpan)) return { entry: e, on: 'value', where: 'keyword' };
  }
  for (const e of Object.values(task.args)) {
    if (inSpan(e.keySpan)) return { entry: e, on: 'key', where: 'arg' };
    if (inSpan(e.valueSpan)) return { entry: e, on: 'value', where: 'arg' };
  }
  return undefined;
}
