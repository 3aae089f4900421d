/**
 * The conformance corpus: recorded ground-truth cases (ansible-core 2.14) whose modules the bundled engine is meant
 * to implement, plus the project's own behaviour fixtures. Each case is copied to a work folder per engine with its
 * inventory pointed at the private test sshd, so both engines run the very same files against the same host.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { isKeyword, isLoopKeyword } from '../../runtime/playbook/keywords';
import { canonicalModuleName } from '../../runtime/modules/catalog';
import type { SshdInfo } from '../host/sshd';
import { truthDir as sharedTruthDir } from '../shared';

export interface ConformanceCase {
  id: string;
  source: 'truth' | 'fixture';
  dir: string;
  /** modules as canonical short names */
  modules: string[];
  /** what ansible-playbook 2.14.18 was recorded doing: exit code and PLAY RECAP per host */
  recorded?: Recorded;
  /** the recorded exit code, when there is a recording */
  recordedRc?: number;
}

export type Recap = Record<string, Record<string, number>>;

export interface Recorded {
  rc: number;
  recap?: Recap;
}

/** PLAY RECAP lines as ansible-playbook prints them: `h1   : ok=8    changed=2    unreachable=0 …`. */
export function parseRecap(text: string): Recap | undefined {
  const recap: Recap = {};
  for (const match of text.matchAll(/^(\S+)\s+:\s+((?:\w+=\d+\s*)+)$/gm)) {
    recap[match[1]!] = Object.fromEntries([...match[2]!.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
  }
  return Object.keys(recap).length ? recap : undefined;
}

/**
 * A case's recording: `rc` plus the PLAY RECAP from `expected.md` (truth cases) or `recap.txt` (fixtures).
 * ansible-playbook's own run is checked against it, so a run disturbed by a busy machine is recognised.
 */
export function readRecorded(dir: string): Recorded | undefined {
  if (!existsSync(join(dir, 'rc'))) return undefined;
  const rc = Number(readFileSync(join(dir, 'rc'), 'utf8').trim());
  const recapFile = ['recap.txt', 'expected.md'].map((f) => join(dir, f)).find((f) => existsSync(f));
  const recap = recapFile ? parseRecap(readFileSync(recapFile, 'utf8')) : undefined;
  return { rc, ...(recap ? { recap } : {}) };
}

/**
 * The modules the bundled engine is specified to implement (issue "Runtime", Modules), plus the executor-level
 * actions. A truth case is in the corpus when every module it uses is in this list; a module the engine does not
 * have yet then shows up as a difference instead of silently shrinking the corpus.
 */
export const TARGET_MODULES: ReadonlySet<string> = new Set([
  'command', 'shell', 'raw', 'script', 'copy', 'template', 'file', 'stat', 'find', 'lineinfile', 'get_url', 'uri',
  'wait_for', 'pause', 'debug', 'assert', 'fail', 'set_fact', 'ping', 'setup', 'archive', 'unarchive', 'package',
  'apt', 'service', 'systemd', 'meta', 'async_status', 'add_host', 'group_by', 'include_vars', 'slurp',
  // executor features, not modules
  'include_tasks', 'import_tasks', 'import_playbook', 'include_role', 'import_role',
]);

/**
 * Truth cases left out on purpose (docs/conformance.md says why): 90 records a mismatch between the sshd's
 * overridden $HOME and root's passwd home in Ansible's two async_dir expansions, a property of that recording
 * setup rather than of playbook semantics.
 */
export const EXCLUDED_TRUTH_CASES: ReadonlySet<string> = new Set(['90-async-dir-home-mismatch']);

const PLAY_TASK_LISTS = ['pre_tasks', 'tasks', 'post_tasks', 'handlers'];
const BLOCK_LISTS = ['block', 'rescue', 'always'];

/** Module names used by a playbook or task file (following static include/import files next to it). */
export function modulesOf(path: string, seen = new Set<string>()): string[] {
  if (seen.has(path) || !existsSync(path)) return [];
  seen.add(path);
  const modules = new Set<string>();
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch {
    return [];
  }
  const follow = (file: unknown): void => {
    if (typeof file === 'string' && !file.includes('{{')) for (const inner of modulesOf(resolve(dirname(path), file), seen)) modules.add(inner);
  };
  const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.filter((v) => v && typeof v === 'object') : []);
  const visitTask = (task: Record<string, unknown>): void => {
    if (BLOCK_LISTS.some((key) => Array.isArray(task[key]))) {
      for (const key of BLOCK_LISTS) list(task[key]).forEach(visitTask);
      return;
    }
    for (const [key, value] of Object.entries(task)) {
      if (isKeyword(key, 'task') || isLoopKeyword(key) || key === 'args') continue;
      const written = key === 'action' || key === 'local_action' ? (typeof value === 'string' ? value.split(/\s+/)[0]! : String((value as { module?: unknown })?.module ?? '')) : key;
      const module = canonicalModuleName(written);
      modules.add(module);
      if (module === 'include_tasks' || module === 'import_tasks') follow(typeof value === 'string' ? value : (value as { file?: unknown })?.file);
    }
  };
  const visitPlay = (play: Record<string, unknown>): void => {
    if ('import_playbook' in play) return follow(play.import_playbook);
    for (const key of PLAY_TASK_LISTS) list(play[key]).forEach(visitTask);
  };
  for (const entry of list(doc)) ('hosts' in entry || 'import_playbook' in entry ? visitPlay : visitTask)(entry);
  return [...modules].sort();
}

export function truthDir(): string {
  return process.env.PLAYBOOK_STUDIO_TRUTH ?? sharedTruthDir;
}

export function discoverCases(root: string, options: { all: boolean }): { cases: ConformanceCase[]; skipped: { id: string; why: string }[] } {
  const cases: ConformanceCase[] = [];
  const skipped: { id: string; why: string }[] = [];
  const truth = truthDir();
  if (existsSync(truth)) {
    for (const id of readdirSync(truth).sort()) {
      const dir = join(truth, id);
      if (!existsSync(join(dir, 'playbook.yml'))) continue;
      const modules = modulesOf(join(dir, 'playbook.yml'));
      // A case that fails at parse time (no PLAY banner recorded) is about the parser, whatever names it contains.
      const parseTime = !readFileSync(join(dir, 'stdout.txt'), 'utf8').includes('PLAY [');
      const foreign = parseTime ? [] : modules.filter((m) => !TARGET_MODULES.has(m));
      if (!options.all && EXCLUDED_TRUTH_CASES.has(id)) skipped.push({ id, why: 'excluded (see docs/conformance.md)' });
      else if (!options.all && foreign.length) skipped.push({ id, why: `uses ${foreign.join(', ')}` });
      else {
        const recorded = readRecorded(dir);
        cases.push({ id, source: 'truth', dir, modules, ...(recorded ? { recorded, recordedRc: recorded.rc } : {}) });
      }
    }
  } else skipped.push({ id: truth, why: 'truth corpus not found (set PLAYBOOK_STUDIO_TRUTH)' });
  const fixtures = join(root, 'test', 'fixtures', 'conformance');
  if (existsSync(fixtures)) {
    for (const id of readdirSync(fixtures).sort()) {
      const dir = join(fixtures, id);
      if (!existsSync(join(dir, 'playbook.yml'))) continue;
      const recorded = readRecorded(dir);
      cases.push({ id, source: 'fixture', dir, modules: modulesOf(join(dir, 'playbook.yml')), ...(recorded ? { recorded, recordedRc: recorded.rc } : {}) });
    }
  }
  return { cases, skipped };
}

/** The standard inventory of the corpus: h1..h4 on the test sshd, absolute async/remote tmp dirs under its HOME. */
function inventoryText(info: SshdInfo, unreachable: string[]): string {
  const lines = [
    '[web]', `h1 ansible_host=${info.hosts[0]}`, `h2 ansible_host=${info.hosts[1]}`, '',
    '[db]', `h3 ansible_host=${info.hosts[2]}`, `h4 ansible_host=${info.hosts[3]}`, '',
    '[all:vars]',
    'ansible_connection=ssh',
    `ansible_user=${info.user}`,
    `ansible_port=${info.port}`,
    `ansible_ssh_private_key_file=${info.privateKey}`,
    'ansible_python_interpreter=/usr/bin/python3',
    `ansible_async_dir=${info.home}/.ansible_async`,
    `ansible_remote_tmp=${info.home}/.ansible/tmp`,
    // Host keys are verified against the test host's known_hosts by both engines.
    `ansible_ssh_common_args='-o UserKnownHostsFile=${info.knownHosts} -o StrictHostKeyChecking=yes'`,
    '',
  ];
  if (unreachable.length) {
    lines.push('[unreachable]');
    // Addresses the test sshd does not listen on: connection refused, as in the recording.
    unreachable.forEach((name, i) => lines.push(`${name} ansible_host=127.0.0.${201 + i}`));
    lines.push('');
  }
  return lines.join('\n');
}

export interface PreparedCase {
  workDir: string;
  playbook: string;
  inventory: string;
  /** remote scratch folder the playbook may use (`<TRUTH>/scratch/<case>` in the recording) */
  scratch: string;
}

/**
 * Copies a case for one engine run. `<TRUTH>` paths are rewritten: scratch folders to a fresh folder per run,
 * remote-home to the test HOME; the sshd port of the recording (2201) to the test sshd's.
 */
export function prepareCase(testCase: ConformanceCase, info: SshdInfo, workDir: string, label: string): PreparedCase {
  mkdirSync(workDir, { recursive: true });
  cpSync(testCase.dir, workDir, { recursive: true });
  const scratch = join(info.home, 'conformance', label);
  mkdirSync(scratch, { recursive: true });
  const rewrite = (text: string): string =>
    text
      .replace(/<TRUTH>\/scratch\/[\w.-]+/g, scratch)
      .replace(/<TRUTH>\/remote-home/g, info.home)
      .replace(/<TRUTH>\/controller-home/g, join(workDir, 'controller-home'))
      .replace(/<SCRATCH>/g, scratch)
      .replace(/\bport: 2201\b/g, `port: ${info.port}`);
  for (const file of walk(workDir)) {
    if (!/\.(ya?ml|j2|sh)$/.test(file)) continue;
    writeFileSync(file, rewrite(readFileSync(file, 'utf8')));
  }
  const recorded = existsSync(join(testCase.dir, 'inventory')) ? readFileSync(join(testCase.dir, 'inventory'), 'utf8') : '';
  const unreachable = [...recorded.matchAll(/^(\S+) ansible_host=127\.0\.0\.(\d+)/gm)].filter((m) => Number(m[2]) > 4).map((m) => m[1]!);
  const inventory = join(workDir, 'inventory');
  writeFileSync(inventory, inventoryText(info, unreachable));
  return { workDir, playbook: join(workDir, 'playbook.yml'), inventory, scratch };
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}
