/** Runs every rule over one model; a rule that throws costs only its own findings (reported once, never fatal). */
import type { Finding, Rule, RuleContext } from './types';
import { RULES } from './rules';

export interface RuleFailure {
  code: string;
  error: string;
}

export function runRules(ctx: RuleContext, rules: readonly Rule[] = RULES): { findings: Finding[]; failures: RuleFailure[] } {
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  for (const rule of rules) {
    const override = ctx.settings.ruleSeverities[rule.code];
    if (override === 'off') continue;
    let found: Finding[];
    try {
      found = rule.check(ctx);
    } catch (error) {
      failures.push({ code: rule.code, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      continue;
    }
    for (const f of found) {
      const sev = ctx.settings.ruleSeverities[f.code] ?? override;
      if (sev === 'off') continue;
      findings.push(sev ? { ...f, severity: sev } : f);
    }
  }
  return { findings, failures };
}
