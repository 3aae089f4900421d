/** Findings of the served file → LSP diagnostics, each carrying its fixes for code actions. */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisResult } from '../analysis/analyze';
import type { Finding, Severity } from '../analysis/types';
import { spanToRange } from './positions';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface DiagnosticData {
  fixes: { title: string; preferred?: boolean; edits: { range: import('vscode-languageserver').Range; newText: string }[] }[];
}

export function findingToDiagnostic(doc: TextDocument, f: Finding): Diagnostic {
  const d: Diagnostic = {
    range: spanToRange(doc, f.span),
    severity: SEVERITY[f.severity],
    code: f.code,
    source: 'playbook-studio',
    message: f.message,
  };
  if (f.fixes?.length) {
    const data: DiagnosticData = {
      fixes: f.fixes.map((x) => ({ title: x.title, preferred: x.preferred, edits: x.edits.map((e) => ({ range: spanToRange(doc, e.span), newText: e.newText })) })),
    };
    d.data = data;
  }
  return d;
}

/** only the findings located in this document (imported files get theirs when they are opened) */
export function diagnosticsFor(doc: TextDocument, path: string, result: AnalysisResult): Diagnostic[] {
  return result.findings.filter((f) => f.file.path === path).map((f) => findingToDiagnostic(doc, f));
}
