/**
 * What a rule sees and what it returns. A rule is `(model, settings) → findings`; findings carry their own
 * file (a finding may sit in an imported task file), a span, a stable code and optional fixes.
 */
import type { Playbook, SourceFile, Span } from '../../runtime/playbook/model';
import type { AnalysisFacts } from './facts';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

export interface AnalysisSettings {
  /** target ansible-core line or release ("2.19", "2.17.5") */
  coreVersion: string;
  /** per-code severity overrides; 'off' drops the finding */
  ruleSeverities: Record<string, SeveritySetting>;
}

export interface TextEdit {
  span: Span;
  newText: string;
}

export interface Fix {
  title: string;
  /** edits in the finding's file */
  edits: TextEdit[];
  /** the fix an editor may apply on "auto fix" */
  preferred?: boolean;
}

export interface Finding {
  code: string;
  severity: Severity;
  file: SourceFile;
  span: Span;
  message: string;
  fixes?: Fix[];
}

export interface RuleContext {
  playbook: Playbook;
  settings: AnalysisSettings;
  facts: AnalysisFacts;
}

export interface Rule {
  code: string;
  /** severity used unless the settings override it (a rule may still pick per finding, e.g. per version) */
  severity: Severity;
  /** one line for docs and `check --list-rules` */
  description: string;
  check(ctx: RuleContext): Finding[];
}
