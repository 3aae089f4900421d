/**
 * Runs the ansible engine against the private test sshd and collects its events, the way the CLI would.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ansibleEngine } from '../../../runtime/engines/ansible/index';
import { EventEmitter } from '../../../runtime/events/emitter';
import type { RunEvent } from '../../../runtime/events/types';
import type { RunOptions } from '../../../runtime/engines/types';
import { sshd } from '../../host/sshd';
import { withRunDefaults } from '../../../runtime/engines/defaults';

export interface EngineRun {
  rc: number;
  events: RunEvent[];
  ms: number;
  dir: string;
}

/**
 * An inventory of h1..hN on the test sshd. async_dir and remote_tmp are absolute under the test HOME because the
 * sshd overrides HOME and Ansible would otherwise expand `~` to the passwd home (truth case 90).
 */
export function ansibleInventory(dir: string, count = 1): string {
  const info = sshd();
  const lines = ['[test]'];
  for (let i = 0; i < count; i++) lines.push(`h${i + 1} ansible_host=${info.hosts[i]}`);
  lines.push(
    '',
    '[all:vars]',
    `ansible_port=${info.port}`,
    `ansible_user=${info.user}`,
    `ansible_ssh_private_key_file=${info.privateKey}`,
    'ansible_python_interpreter=/usr/bin/python3',
    `ansible_async_dir=${info.home}/.ansible_async`,
    `ansible_remote_tmp=${info.home}/.ansible/tmp`,
    '',
  );
  const path = join(dir, 'inventory');
  writeFileSync(path, lines.join('\n'));
  return path;
}

export async function runAnsible(playbook: string, options: Partial<RunOptions> & { hosts?: number; onEvent?: (e: RunEvent) => void } = {}): Promise<EngineRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ps-ansible-engine-'));
  const playbookPath = join(dir, 'playbook.yml');
  writeFileSync(playbookPath, playbook);
  const events: RunEvent[] = [];
  const emitter = new EventEmitter('test', (event) => events.push(event));
  if (options.onEvent) emitter.on(options.onEvent);
  const started = Date.now();
  const { hosts, onEvent: _alreadyListening, ...overrides } = options;
  const rc = await ansibleEngine.run(
    withRunDefaults(
      { playbook: playbookPath, inventories: [ansibleInventory(dir, hosts ?? 1)], events: emitter, signal: new AbortController().signal },
      { coreVersion: '2.14', instantJoins: false, hostKeyPolicy: 'strict', knownHosts: sshd().knownHosts, ...overrides, events: emitter },
    ),
  );
  return { rc, events, ms: Date.now() - started, dir };
}

export function names(events: RunEvent[]): string[] {
  return events.map((event) => event.event);
}

/** The event type(s) whose `event` may be N (some types cover several names, e.g. task and handler start). */
export type EventOf<N extends RunEvent['event']> = RunEvent extends infer E ? (E extends RunEvent ? (N extends E['event'] ? E & { event: N } : never) : never) : never;

export function ofType<N extends RunEvent['event']>(events: RunEvent[], name: N): EventOf<N>[] {
  return events.filter((event): event is EventOf<N> => event.event === name);
}
