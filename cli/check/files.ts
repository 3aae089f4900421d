/** The files a `check` run looks at: named files as given, directories searched for playbooks and task files. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { classifyText, type DocumentKind } from '../../server/documents/classify';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '__pycache__', '.tox', 'dist', 'out']);

export interface CheckTarget {
  path: string;
  /** from a directory search: only files that look like playbooks/task files are kept */
  searched: boolean;
}

export function collectTargets(paths: string[]): { targets: CheckTarget[]; errors: string[] } {
  const targets: CheckTarget[] = [];
  const errors: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 32) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      errors.push(`${dir}: ${(e as Error).message}`);
      return;
    }
    for (const name of names) {
      const p = join(dir, name);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (!SKIP_DIRS.has(name) && !name.startsWith('.')) walk(p, depth + 1);
      } else if (/\.ya?ml$/i.test(name)) targets.push({ path: p, searched: true });
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      errors.push(`${p}: no such file or directory`);
      continue;
    }
    if (st.isDirectory()) walk(p, 0);
    else targets.push({ path: p, searched: false });
  }
  return { targets, errors };
}

/** how a file is analysed; undefined when a searched file is not a playbook or task file */
export function kindFor(target: CheckTarget, text: string): Exclude<DocumentKind, 'other'> | undefined {
  const kind = classifyText(text);
  if (kind === 'other') return target.searched ? undefined : 'playbook';
  return kind;
}
