/**
 * `playbook-studio run --engine ansible` end to end through the bundled CLI: the --ansible-playbook path is the one
 * run, -v… reach ansible-playbook (a `debug` with `verbosity: 2` shows only at -vv), and the detected version is
 * reported in playbook_on_start and, at -v, in the output's first line, as ansible-playbook -v does.
 */
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../../runtime/events/journal';
import { findAnsiblePlaybook } from '../../../runtime/engines/ansible/locate';
import { sshd } from '../../host/sshd';
import { buildCli, type CliResult } from '../runtime/cli-build';
import { tempDir } from '../runtime/helpers';
import { ansibleInventory, ofType } from './harness';

/** ansible-playbook needs seconds of CPU per run; on a loaded 2-core machine that becomes tens of seconds. */
const SLOW_MACHINE_MS = 240_000;
const pluginDir = resolve(__dirname, '..', '..', '..', 'runtime', 'engines', 'ansible', 'callback_plugins');

let cli: string;
beforeAll(async () => {
  cli = await buildCli();
}, 120_000);

function runCli(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((done, reject) => {
    // a CLI bundled into a temp folder has no plugin beside it: point it at the source tree's
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PLAYBOOK_STUDIO_ANSIBLE_PLUGINS: pluginDir };
    delete env.PLAYBOOK_STUDIO_ANSIBLE_PLAYBOOK;
    const child = spawn(process.execPath, [cli, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('playbook-studio run --engine ansible', () => {
  it('runs the given ansible-playbook with the -v count and reports its version', async () => {
    const real = findAnsiblePlaybook();
    expect(real, 'ansible-playbook must be installed (scripts/ensure-test-deps.sh)').toBeDefined();
    const dir = tempDir('ps-cli-ansible-');
    // a wrapper that logs each invocation's arguments, then runs the real ansible-playbook
    const wrapper = join(dir, 'my-ansible-playbook');
    const calls = join(dir, 'calls.log');
    writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${calls}'\nexec '${real}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    writeFileSync(
      join(dir, 'playbook.yml'),
      `- name: verbosity
  hosts: h1
  gather_facts: false
  tasks:
    - name: only at -vv
      ansible.builtin.debug:
        msg: shown at two v
        verbosity: 2
`,
    );
    const inventory = ansibleInventory(dir);
    const events = join(dir, 'events.jsonl');
    const common = ['playbook.yml', '-i', inventory, '--engine', 'ansible', '--ansible-playbook', wrapper, '--known-hosts', sshd().knownHosts, '--host-key-policy', 'strict', '--journal', join(dir, 'journal.jsonl')];

    const verbose = await runCli(['run', ...common, '--events', events, '-vv'], dir);
    expect(verbose.code, verbose.stderr).toBe(0);
    const log = readFileSync(calls, 'utf8').trim().split('\n');
    expect(log).toContain('--version');
    expect(log.find((line) => line.endsWith('playbook.yml'))).toMatch(/ -vv \S*\/playbook\.yml$/);
    const start = ofType(readJournal(events).events, 'playbook_on_start')[0]!;
    expect(start.ansiblePlaybook?.path).toBe(wrapper);
    expect(start.ansiblePlaybook?.version).toMatch(/^2\.\d+\.\d+/);
    expect(start.coreVersion).toBe(start.ansiblePlaybook?.version);
    expect(verbose.stdout.split('\n')[0]).toBe(`ansible-playbook [core ${start.ansiblePlaybook?.version}] (${wrapper})`);
    const debug = ofType(readJournal(events).events, 'runner_on_ok')[0]!;
    expect(debug.result.msg).toBe('shown at two v');

    // without -v the same task is skipped by Ansible's own verbosity check, and no version line is printed
    const quiet = await runCli(['run', ...common], dir);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout).not.toContain('ansible-playbook [core');
    expect(quiet.stdout).toMatch(/skipping: \[h1\]/);
    expect(quiet.stdout).not.toContain('shown at two v');
  }, SLOW_MACHINE_MS);

  it('gives the bundled engine the same -v count: the verbosity-2 debug shows at -vv, and the engine line at -v', async () => {
    const dir = tempDir('ps-cli-bundled-');
    writeFileSync(join(dir, 'playbook.yml'), '- hosts: h1\n  gather_facts: false\n  tasks:\n    - debug:\n        msg: shown at two v\n        verbosity: 2\n');
    const common = ['playbook.yml', '-i', ansibleInventory(dir), '--engine', 'bundled', '--known-hosts', sshd().knownHosts, '--host-key-policy', 'strict', '--core-version', '2.14', '--journal', join(dir, 'journal.jsonl')];
    const verbose = await runCli(['run', ...common, '-vv'], dir);
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(verbose.stdout.split('\n')[0]).toBe('playbook-studio bundled engine [following ansible-core 2.14]');
    expect(verbose.stdout).toContain('"msg": "shown at two v"');
    const quiet = await runCli(['run', ...common, '-v'], dir);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout).toMatch(/skipping: \[h1\]/);
    expect(quiet.stdout).not.toContain('shown at two v');
  }, 60_000);

  it('says where it looked when the --ansible-playbook path does not exist', async () => {
    const dir = tempDir('ps-cli-ansible-');
    writeFileSync(join(dir, 'playbook.yml'), '- hosts: h1\n  tasks: []\n');
    const missing = join(dir, 'no-such-ansible-playbook');
    const run = await runCli(['run', 'playbook.yml', '-i', ansibleInventory(dir), '--engine', 'ansible', '--ansible-playbook', missing], dir);
    expect(run.code).toBe(127);
    expect(run.stderr).toContain(`ERROR! ansible-playbook not found (looked for '${missing}')`);
  }, 60_000);
});
