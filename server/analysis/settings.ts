/** Analysis settings with defaults, normalised from whatever the client (or the CLI) sends. */
import { DEFAULT_CORE_VERSION } from '../../runtime/playbook/core-version';
import type { AnalysisSettings, SeveritySetting } from './types';

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

export function defaultSettings(): AnalysisSettings {
  return { coreVersion: DEFAULT_CORE_VERSION, ruleSeverities: {} };
}

/** accepts the `playbookStudio` settings object (or anything) and keeps only valid values */
export function normalizeSettings(raw: unknown): AnalysisSettings {
  const out = defaultSettings();
  if (!raw || typeof raw !== 'object') return out;
  const r = raw as Record<string, unknown>;
  if (typeof r.ansibleCoreVersion === 'string' && /^\s*\d+\.\d+(\.\d+)?\s*$/.test(r.ansibleCoreVersion)) out.coreVersion = r.ansibleCoreVersion.trim();
  if (r.ruleSeverities && typeof r.ruleSeverities === 'object') {
    for (const [code, sev] of Object.entries(r.ruleSeverities as Record<string, unknown>)) {
      if (typeof sev === 'string' && SEVERITIES.has(sev)) out.ruleSeverities[code] = sev as SeveritySetting;
    }
  }
  return out;
}
