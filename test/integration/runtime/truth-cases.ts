/**
 * Replays a recorded ansible-core 2.14 case (shared/truth/ansible-2.14/<case>, found by test/shared.ts) against the test sshd:
 * `<TRUTH>` becomes a fresh directory under the remote HOME (the controller and the target share this
 * machine), the inventory is pointed at the test host (the `unreachable` group at a closed port), and the
 * outcome is compared by exit code, PLAY RECAP and the per-host sequence of results.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { RunEvent } from '../../../runtime/events/types';
import { sshd } from '../../host/sshd';
import { runFiles, type RunOutcome } from './helpers';
import { truthDir } from '../../shared';

export const TRUTH_DIR = truthDir;

export interface PreparedCase {
  root: string;
  caseDir: string;
  playbook: string;
  inventory: string;
}

function copyReplacing(from: string, to: string, truth: string): void {
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    const dst = join(to, name);
    if (statSync(src).isDirectory()) {
      mkdirSync(dst, { recursive: true });
      copyReplacing(src, dst, truth);
    } else if (/\.(yml|yaml|sh|j2|txt|cfg|json)$|^inventory$/.test(name) || !name.includes('.')) {
      // the recording's sshd listened on 2201; ours on a random port
      writeFileSync(dst, readFileSync(src, 'utf8').replaceAll('<TRUTH>', truth).replace(/\bport: 2201\b/g, `port: ${sshd().port}`));
    } else cpSync(src, dst);
  }
}

/** the recorded inventory, pointed at the test sshd (port, user, key); `unreachable` hosts at a closed port */
export function rewriteInventory(text: string): string {
  const info = sshd();
  let group = '';
  return text
    .split('\n')
    .map((line) => {
      const header = /^\[([^\]]+)\]/.exec(line.trim());
      if (header) group = header[1];
      if (/^ansible_port=/.test(line)) return `ansible_port=${info.port}`;
      if (/^ansible_user=/.test(line)) return `ansible_user=${info.user}`;
      if (/^ansible_ssh_private_key_file=/.test(line)) return `ansible_ssh_private_key_file=${info.privateKey}`;
      if (group === 'unreachable' && /^h\d+\s/.test(line)) return `${line} ansible_port=1`;
      return line;
    })
    .join('\n');
}

export function prepareCase(name: string): PreparedCase {
  const root = join(sshd().home, `truth-${randomBytes(4).toString('hex')}`);
  const caseDir = join(root, 'cases', name);
  mkdirSync(caseDir, { recursive: true });
  mkdirSync(join(root, 'scratch', name), { recursive: true });
  mkdirSync(join(root, 'remote-home'), { recursive: true });
  copyReplacing(join(TRUTH_DIR, name), caseDir, root);
  const inventory = join(caseDir, 'inventory');
  writeFileSync(inventory, rewriteInventory(readFileSync(inventory, 'utf8')));
  return { root, caseDir, playbook: join(caseDir, 'playbook.yml'), inventory };
}

const LABELS: Record<string, string> = {
  runner_ok: 'ok', runner_failed: 'failed', runner_skipped: 'skipped', runner_unreachable: 'unreachable', retry: 'retry',
  item_ok: 'item-ok', item_failed: 'item-failed', item_skipped: 'item-skipped',
  runner_retry: 'retry',
  runner_on_ok: 'ok', runner_on_failed: 'failed', runner_on_skipped: 'skipped', runner_on_unreachable: 'unreachable',
  runner_item_on_ok: 'item-ok', runner_item_on_failed: 'item-failed', runner_item_on_skipped: 'item-skipped',
};

/** host → ["task: changed", "task: retry", ...] from recorded events */
export function expectedSequences(name: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of readFileSync(join(TRUTH_DIR, name, 'events.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const e = JSON.parse(line) as { event: string; host?: string; task?: string; result?: { changed?: boolean } };
    const label = LABELS[e.event];
    if (!label || !e.host) continue;
    const changed = (label === 'ok' || label === 'item-ok') && e.result?.changed ? label.replace('ok', 'changed') : label;
    (out[e.host] ??= []).push(`${e.task}: ${changed}`);
  }
  return out;
}

export function actualSequences(events: RunEvent[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of events) {
    const label = LABELS[e.event];
    if (!label || !('host' in e)) continue;
    const changed = (label === 'ok' || label === 'item-ok') && 'changed' in e && e.changed ? label.replace('ok', 'changed') : label;
    (out[e.host] ??= []).push(`${e.task}: ${changed}`);
  }
  return out;
}

export function expectedRc(name: string): number {
  return Number(readFileSync(join(TRUTH_DIR, name, 'rc'), 'utf8').trim());
}

export function expectedRecap(name: string): string[] {
  const text = readFileSync(join(TRUTH_DIR, name, 'stdout.txt'), 'utf8');
  const start = text.lastIndexOf('PLAY RECAP');
  if (start < 0) return [];
  return text.slice(start).split('\n').filter((l) => l.includes(' : ok=')).map((l) => l.replace(/\s+$/, ''));
}

export async function runCase(name: string): Promise<RunOutcome & PreparedCase> {
  const prepared = prepareCase(name);
  const outcome = await runFiles(prepared.playbook, [prepared.inventory], { coreVersion: '2.14', forks: 1 });
  return { ...outcome, ...prepared };
}
