/**
 * Deliberate differences, read from the table in docs/conformance.md between the `conformance:differences`
 * markers: `| case | task | field | reason |`, where case and task may use `*` wildcards. The documentation is the
 * single list; the harness fails on any difference the list does not name.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Difference } from './compare';

export interface DocumentedDifference {
  caseGlob: string;
  taskGlob: string;
  field: string;
  reason: string;
}

const START = '<!-- conformance:differences:start -->';
const END = '<!-- conformance:differences:end -->';

export function readDocumented(path: string): DocumentedDifference[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) return [];
  const rows: DocumentedDifference[] = [];
  for (const line of text.slice(start + START.length, end).split('\n')) {
    const cells = line.trim().replace(/^\||\|$/g, '').split('|').map((cell) => cell.trim().replace(/^`|`$/g, ''));
    if (cells.length < 4 || /^-+$/.test(cells[0]!) || cells[0] === 'case') continue;
    rows.push({ caseGlob: cells[0]!, taskGlob: cells[1]!, field: cells[2]!, reason: cells.slice(3).join('|') });
  }
  return rows;
}

function globMatch(glob: string, value: string): boolean {
  const pattern = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`).test(value);
}

export function explain(difference: Difference, documented: DocumentedDifference[]): string | undefined {
  const task = difference.task || difference.where;
  return documented.find(
    (row) => globMatch(row.caseGlob, difference.caseId) && globMatch(row.taskGlob, task) && (row.field === '*' || row.field === difference.field),
  )?.reason;
}
