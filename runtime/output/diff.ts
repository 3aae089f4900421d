/**
 * What ansible-playbook prints for a result's `diff` under --diff (the default callback's _get_diff): binary/size
 * notes, a unified diff of before/after (mappings serialised as sorted 4-space JSON), `prepared` text as is.
 * Returns the lines with their colour roles so the printer can colour them like Ansible (+ green, - red, @@ cyan).
 */
import { pythonJson } from '../executor/results';
import { splitLinesKeepEnds, unifiedDiff } from './unified-diff';

export interface DiffLine {
  text: string;
  role?: 'add' | 'remove' | 'lines';
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && !Array.isArray(value)) return pythonJson(value, 4) + '\n';
  return String(value);
}

export function formatDiff(diffValue: unknown): DiffLine[] {
  const list = Array.isArray(diffValue) ? diffValue : [diffValue];
  const out: DiffLine[] = [];
  for (const raw of list) {
    if (!raw || typeof raw !== 'object') continue;
    const diff = raw as Record<string, unknown>;
    if ('dst_binary' in diff) out.push({ text: 'diff skipped: destination file appears to be binary\n' });
    if ('src_binary' in diff) out.push({ text: 'diff skipped: source file appears to be binary\n' });
    if ('dst_larger' in diff) out.push({ text: `diff skipped: destination file size is greater than ${String(diff.dst_larger)}\n` });
    if ('src_larger' in diff) out.push({ text: `diff skipped: source file size is greater than ${String(diff.src_larger)}\n` });
    if ('before' in diff && 'after' in diff) {
      const before = splitLinesKeepEnds(asText(diff.before));
      const after = splitLinesKeepEnds(asText(diff.after));
      if (before.length && !before[before.length - 1].endsWith('\n')) before[before.length - 1] += '\n\\ No newline at end of file\n';
      if (after.length && !after[after.length - 1].endsWith('\n')) after[after.length - 1] += '\n\\ No newline at end of file\n';
      const from = 'before_header' in diff ? `before: ${String(diff.before_header)}` : 'before';
      const to = 'after_header' in diff ? `after: ${String(diff.after_header)}` : 'after';
      const lines = unifiedDiff(before, after, from, to);
      for (const line of lines) out.push({ text: line, role: line.startsWith('+') ? 'add' : line.startsWith('-') ? 'remove' : line.startsWith('@@') ? 'lines' : undefined });
      if (lines.length) out.push({ text: '\n' });
    }
    if ('prepared' in diff) out.push({ text: String(diff.prepared) });
  }
  return out;
}

/** the diff text a result shows under --diff: only for changed results with a non-empty diff (as the callback) */
export function diffToShow(result: Record<string, unknown>): DiffLine[] {
  const diff = result.diff;
  if (!diff || (Array.isArray(diff) && diff.length === 0) || (typeof diff === 'object' && Object.keys(diff).length === 0)) return [];
  if (!result.changed) return [];
  return formatDiff(diff);
}
