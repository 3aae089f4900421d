/**
 * Finds the user's ansible-playbook and its ansible-core version. The version matters because the event payloads
 * differ between cores (2.19 reports `started`/`finished` as booleans), and users pick the core they target.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

export interface AnsiblePlaybookInfo {
  path: string;
  /** "2.14.18"; empty when `--version` printed nothing we recognise */
  version: string;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The explicit setting, then $PLAYBOOK_STUDIO_ANSIBLE_PLAYBOOK, then `ansible-playbook` on PATH; undefined if none. */
export function findAnsiblePlaybook(setting?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = setting || env.PLAYBOOK_STUDIO_ANSIBLE_PLAYBOOK;
  if (explicit) {
    if (isAbsolute(explicit) || explicit.includes('/')) {
      const path = resolve(explicit);
      return isExecutableFile(path) ? path : undefined;
    }
    return searchPath(explicit, env.PATH ?? '');
  }
  return searchPath('ansible-playbook', env.PATH ?? '');
}

function searchPath(name: string, pathVar: string): string | undefined {
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** "ansible-playbook [core 2.14.18]" (2.11+) or "ansible-playbook 2.10.17" (older) → "2.14.18". */
export function parseAnsibleVersion(output: string): string {
  const firstLine = output.split('\n', 1)[0] ?? '';
  const match = /\[core ([0-9][^\]\s]*)\]/.exec(firstLine) ?? /ansible-playbook\s+([0-9][\w.]*)/.exec(firstLine);
  return match?.[1] ?? '';
}

const versionCache = new Map<string, Promise<string>>();

/** Runs `ansible-playbook --version` once per path (about a second of Python start-up; far more on a loaded machine). */
export function detectVersion(path: string): Promise<string> {
  let pending = versionCache.get(path);
  if (!pending) {
    pending = new Promise((resolveVersion, reject) => {
      execFile(path, ['--version'], { timeout: 120_000, env: { ...process.env, ANSIBLE_NOCOLOR: '1' } }, (error, stdout) => {
        if (error && !stdout) reject(new Error(`${path} --version failed: ${error.message}`));
        else resolveVersion(parseAnsibleVersion(stdout));
      });
    });
    versionCache.set(path, pending);
    pending.catch(() => versionCache.delete(path));
  }
  return pending;
}

/** "2.14.18" → "2.14" (the line RunOptions.coreVersion speaks of). */
export function coreLine(version: string): string {
  const match = /^(\d+)\.(\d+)/.exec(version);
  return match ? `${match[1]}.${match[2]}` : version;
}

/**
 * The folder holding playbook_studio.py: beside the bundled CLI/extension (dist/ansible/callback_plugins), next to
 * this source file when run from source, or wherever $PLAYBOOK_STUDIO_ANSIBLE_PLUGINS points.
 */
export function findCallbackPluginDir(env: NodeJS.ProcessEnv = process.env, here: string = __dirname): string | undefined {
  const candidates = [env.PLAYBOOK_STUDIO_ANSIBLE_PLUGINS, join(here, 'ansible', 'callback_plugins'), join(here, 'callback_plugins')];
  return candidates.find((dir): dir is string => !!dir && isReadable(join(dir, 'playbook_studio.py')));
}

function isReadable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
