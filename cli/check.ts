/**
 * `playbook-studio check`: the language server's analysis (server/analysis) for terminals and CI. Exit 1 when
 * an error is found, 2 for bad usage or unreadable paths.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeText } from '../server/analysis/analyze';
import { RULES } from '../server/analysis/rules';
import type { Finding } from '../server/analysis/types';
import { CHECK_USAGE, parseCheckArgs } from './check/args';
import { collectTargets, kindFor } from './check/files';
import { humanLine, jsonBudgets, jsonFinding, type JsonFile } from './check/report';

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export async function checkCommand(argv: string[]): Promise<number> {
  const args = parseCheckArgs(argv);
  if ('error' in args) {
    console.error(`playbook-studio check: ${args.error}\n\n${CHECK_USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(CHECK_USAGE);
    return 0;
  }
  if (args.listRules) {
    for (const r of RULES) console.log(`${r.code.padEnd(26)} ${r.severity.padEnd(12)} ${r.description}`);
    return 0;
  }
  if (args.paths.length === 0) {
    console.error(`playbook-studio check: no paths given\n\n${CHECK_USAGE}`);
    return 2;
  }
  const { targets, errors } = collectTargets(args.paths);
  for (const e of errors) console.error(`playbook-studio check: ${e}`);

  const files: JsonFile[] = [];
  const byPath = new Map<string, JsonFile>();
  const seen = new Set<string>();
  const allFindings: Finding[] = [];
  const fileFor = (path: string): JsonFile => {
    let f = byPath.get(path);
    if (!f) {
      f = { path, findings: [], budgets: [] };
      byPath.set(path, f);
      files.push(f);
    }
    return f;
  };
  // imported files are reported under their own path, next to the file that pulled them in
  const abs = (p: string) => resolve(p);
  const targetPaths = new Set(targets.map((t) => abs(t.path)));
  for (const target of targets) {
    const text = readText(target.path);
    if (text === undefined) {
      console.error(`playbook-studio check: ${target.path}: cannot read`);
      errors.push(target.path);
      continue;
    }
    const kind = kindFor(target, text);
    if (!kind) continue;
    const result = analyzeText(target.path, text, { kind, settings: args.settings, readFile: readText });
    const entry = fileFor(target.path);
    entry.budgets = jsonBudgets(result, target.path);
    for (const f of result.findings) {
      const inImport = f.file.path !== target.path;
      if (inImport && targetPaths.has(abs(f.file.path)) && abs(f.file.path) !== abs(target.path)) {
        // the imported file is checked on its own too; keep the playbook's view (it knows the play context)
      }
      const key = `${abs(f.file.path)}:${f.span.start}:${f.span.end}:${f.code}`;
      if (seen.has(key)) continue;
      seen.add(key);
      fileFor(inImport ? f.file.path : target.path).findings.push(jsonFinding(f));
      allFindings.push(f);
    }
    for (const failure of result.failures) console.error(`playbook-studio check: internal: rule ${failure.code} failed on ${target.path}: ${failure.error.split('\n')[0]}`);
  }

  if (args.json) {
    console.log(JSON.stringify({ files }, null, 2));
  } else {
    for (const f of allFindings) console.log(humanLine(f));
    const count = (s: string) => allFindings.filter((f) => f.severity === s).length;
    const summary = `${count('error')} error(s), ${count('warning')} warning(s), ${count('information') + count('hint')} note(s) in ${files.length} file(s)`;
    console.error(summary);
  }
  if (allFindings.some((f) => f.severity === 'error')) return 1;
  return errors.length ? 2 : 0;
}
