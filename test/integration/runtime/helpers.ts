/**
 * Runs playbooks with the bundled engine in-process against the test sshd and captures what a user would
 * see (the printed output), the events, and the exit code.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from '../../../runtime/events/emitter';
import type { RunEvent } from '../../../runtime/events/types';
import { bundledEngine } from '../../../runtime/engines/bundled';
import type { RunOptions } from '../../../runtime/engines/types';
import { AnsiblePrinter } from '../../../runtime/output/printer';
import { sshd, writeInventory } from '../../host/sshd';
import { withRunDefaults } from '../../../runtime/engines/defaults';

export interface RunOutcome {
  rc: number;
  events: RunEvent[];
  out: string;
  err: string;
  /** every host result event, in order */
  results: Extract<RunEvent, { host: string; result: unknown }>[];
}

export function tempDir(prefix = 'ps-run-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** a unique directory name under the remote HOME for one test (tests run in parallel on one sshd) */
export function remoteScratch(label: string): string {
  return join(sshd().home, `scratch-${label}-${randomBytes(4).toString('hex')}`);
}

export interface RunSetup {
  /** playbook text, or files to write: { 'playbook.yml': '...', 'files/x': '...' } */
  playbook: string | Record<string, string>;
  hosts?: number;
  inventoryExtra?: string;
  options?: Partial<RunOptions>;
}

export async function runPlaybook(setup: RunSetup): Promise<RunOutcome & { dir: string }> {
  const dir = tempDir();
  const files = typeof setup.playbook === 'string' ? { 'playbook.yml': setup.playbook } : setup.playbook;
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const inventory = writeInventory(join(dir, 'inventory'), setup.hosts ?? 1, setup.inventoryExtra ?? '');
  const outcome = await runFiles(join(dir, 'playbook.yml'), [inventory], setup.options);
  return { ...outcome, dir };
}

export async function runFiles(playbook: string, inventories: string[], options: Partial<RunOptions> = {}): Promise<RunOutcome> {
  const events: RunEvent[] = [];
  let out = '';
  let err = '';
  const emitter = new EventEmitter('test-run');
  const printer = new AnsiblePrinter({ out: (t) => (out += t), err: (t) => (err += t), color: false });
  emitter.on((event) => {
    events.push(event);
    printer.handle(event);
  });
  const rc = await bundledEngine.run(
    withRunDefaults(
      { playbook, inventories, events: emitter, signal: new AbortController().signal },
      { coreVersion: '2.14', knownHosts: sshd().knownHosts, hostKeyPolicy: 'strict', ...options },
    ),
  );
  const results = events.filter((e): e is RunOutcome['results'][number] => 'host' in e && 'result' in e);
  return { rc, events, out, err, results };
}

/** the result events of one task name on one host */
export function resultOf(outcome: RunOutcome, task: string, host = 'h1') {
  const found = outcome.results.filter((e) => e.task === task && e.host === host && e.event.startsWith('runner_on_'));
  if (found.length !== 1) throw new Error(`expected one result for ${task} on ${host}, found ${found.length}\n${outcome.out}${outcome.err}`);
  return found[0];
}

/** the PLAY RECAP lines as printed */
export function recapLines(out: string): string[] {
  const start = out.lastIndexOf('PLAY RECAP');
  return out
    .slice(start)
    .split('\n')
    .slice(1)
    .filter((l) => l.includes(' : ok='))
    .map((l) => l.replace(/\s+$/, ''));
}
