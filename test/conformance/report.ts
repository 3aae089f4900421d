/** The printed table (one row per case) and the list of differences, plus a JSON report for CI artifacts. */
import type { CaseComparison, Difference } from './compare';
import type { EngineRunResult } from './run-engine';

export interface CaseReport {
  caseId: string;
  source: 'truth' | 'fixture';
  recordedRc?: number;
  /** ansible-playbook did not reproduce the recording even when re-run alone */
  offRecord: boolean;
  ansible: EngineRunResult;
  bundled: EngineRunResult;
  comparison: CaseComparison;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length);
}

function rcCell(run: EngineRunResult, offRecord = false): string {
  if (run.via === 'unavailable') return 'not run';
  return `${run.rc ?? 'killed'}${offRecord ? '*' : ''} ${(run.ms / 1000).toFixed(1)}s`;
}

export function formatTable(reports: CaseReport[]): string {
  const header = ['case', 'src', 'rec rc', 'ansible', 'bundled', 'checks', 'match', 'deliberate', 'DIFF'];
  const widths = [36, 7, 6, 12, 12, 6, 6, 10, 5];
  const lines = [header.map((h, i) => pad(h, widths[i]!)).join(' '), widths.map((w) => '-'.repeat(w)).join(' ')];
  for (const r of reports) {
    const documented = r.comparison.differences.filter((d) => d.documented).length;
    const undocumented = r.comparison.differences.length - documented;
    lines.push(
      [r.caseId, r.source, r.recordedRc === undefined ? '' : String(r.recordedRc), rcCell(r.ansible, r.offRecord), rcCell(r.bundled), String(r.comparison.compared), String(r.comparison.matches), String(documented), undocumented ? String(undocumented) : '0']
        .map((cell, i) => pad(cell, widths[i]!))
        .join(' '),
    );
  }
  if (reports.some((r) => r.offRecord)) lines.push('* ansible-playbook did not reproduce the recorded exit code / PLAY RECAP (timing on a busy machine)');
  return lines.join('\n');
}

export function formatDifferences(differences: Difference[], limit: number): string {
  const lines: string[] = [];
  for (const d of differences.slice(0, limit)) {
    const where = d.where === 'run' ? 'run' : d.where;
    lines.push(`${d.documented ? 'deliberate' : 'DIFF      '} ${d.caseId} | ${where} | ${d.field}: ansible=${clip(d.ansible)} bundled=${clip(d.bundled)}${d.documented ? `  (${d.documented})` : ''}`);
  }
  if (differences.length > limit) lines.push(`… ${differences.length - limit} more in the JSON report`);
  return lines.join('\n');
}

function clip(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
