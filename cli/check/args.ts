/** `check` command line: [--json] [--core-version V] [--severity CODE=LEVEL]... PATHS... */
import { normalizeSettings } from '../../server/analysis/settings';
import type { AnalysisSettings } from '../../server/analysis/types';

export interface CheckArgs {
  json: boolean;
  help: boolean;
  listRules: boolean;
  settings: AnalysisSettings;
  paths: string[];
}

export const CHECK_USAGE = `usage: playbook-studio check [--json] [--core-version V] [--severity CODE=LEVEL]... PATHS...

Checks playbooks and task files (files or directories, searched for *.yml/*.yaml that look like playbooks)
for async/poll/until/retries/delay mistakes, unknown keywords, Jinja errors and more.

  --json                 print {"files":[{"path","findings":[...],"budgets":[...]}]}
  --core-version V       target ansible-core version (2.14 .. 2.19, or e.g. 2.17.5; default 2.19)
  --severity CODE=LEVEL  override a rule's severity (error|warning|information|hint|off)
  --list-rules           list the rule codes

exit status: 0 no errors, 1 an error was found, 2 bad usage or unreadable path`;

export function parseCheckArgs(argv: string[]): CheckArgs | { error: string } {
  let json = false;
  let help = false;
  let listRules = false;
  let version: string | undefined;
  const severities: Record<string, string> = {};
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '-h' || a === '--help') help = true;
    else if (a === '--list-rules') listRules = true;
    else if (a === '--core-version' || a.startsWith('--core-version=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!v || !/^\d+\.\d+(\.\d+)?$/.test(v)) return { error: `--core-version needs a version such as 2.14 or 2.17.5, got '${v ?? ''}'` };
      version = v;
    } else if (a === '--severity' || a.startsWith('--severity=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      const m = /^([\w-]+)=(error|warning|information|hint|off)$/.exec(v ?? '');
      if (!m) return { error: `--severity needs CODE=error|warning|information|hint|off, got '${v ?? ''}'` };
      severities[m[1]] = m[2];
    } else if (a === '--') paths.push(...argv.slice(i + 1)), (i = argv.length);
    else if (a.startsWith('-') && a !== '-') return { error: `unknown option '${a}'` };
    else paths.push(a);
  }
  const settings = normalizeSettings({ ansibleCoreVersion: version, ruleSeverities: severities });
  return { json, help, listRules, settings, paths };
}
