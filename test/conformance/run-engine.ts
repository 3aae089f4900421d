/**
 * Runs one prepared case with one engine through the real CLI (`node dist/cli.js run … --engine E --events FILE`)
 * and reads back the journal. While the CLI's `run` is not available, the ansible engine is driven in-process
 * through the same Engine interface so the harness still produces its half of the table.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ansibleEngine } from '../../runtime/engines/ansible/index';
import { EventEmitter } from '../../runtime/events/emitter';
import { journalWriter, readJournal } from '../../runtime/events/journal';
import type { RunEvent } from '../../runtime/events/types';
import type { PreparedCase } from './corpus';

export type EngineName = 'bundled' | 'ansible';

export interface EngineRunResult {
  engine: EngineName;
  /** how it was run: through the CLI, in-process, or not at all */
  via: 'cli' | 'in-process' | 'unavailable';
  rc: number | null;
  events: RunEvent[];
  ms: number;
  note?: string;
}

export interface RunnerSetup {
  root: string;
  cliRun: boolean;
  cliFlags: Set<string>;
  knownHosts: string;
  forks: number;
  timeoutMs: number;
  /** the bundled engine's default; off makes its async waits sleep out poll/delay like Ansible */
  instantJoins: boolean;
}

/** What `playbook-studio run --help` offers (the CLI is built by another part of the project and may lag). */
export async function probeCli(root: string): Promise<{ cliRun: boolean; flags: Set<string> }> {
  const cli = join(root, 'dist', 'cli.js');
  if (!existsSync(cli)) return { cliRun: false, flags: new Set() };
  const { stdout, stderr } = await capture(process.execPath, [cli, 'run', '--help'], root, 30_000);
  const text = stdout + stderr;
  const flags = new Set([...text.matchAll(/--[a-z][\w-]*/g)].map((m) => m[0]));
  return { cliRun: flags.has('--engine') && flags.has('--events'), flags };
}

export async function runEngine(engine: EngineName, prepared: PreparedCase, setup: RunnerSetup): Promise<EngineRunResult> {
  const eventsFile = join(prepared.workDir, `events.${engine}.jsonl`);
  const started = Date.now();
  if (setup.cliRun) {
    const args = [join(setup.root, 'dist', 'cli.js'), 'run', prepared.playbook, '-i', prepared.inventory, '--engine', engine, '--events', eventsFile, '-f', String(setup.forks)];
    if (setup.cliFlags.has('--core-version')) args.push('--core-version', '2.14');
    if (setup.cliFlags.has('--known-hosts')) args.push('--known-hosts', setup.knownHosts);
    if (setup.cliFlags.has('--host-key-policy')) args.push('--host-key-policy', 'strict');
    if (!setup.instantJoins && setup.cliFlags.has('--no-instant-joins')) args.push('--no-instant-joins');
    const out = await capture(process.execPath, args, prepared.workDir, setup.timeoutMs);
    writeFileSync(join(prepared.workDir, `output.${engine}.txt`), `${out.stdout}\n--- stderr ---\n${out.stderr}`);
    const events = readJournal(eventsFile).events;
    return { engine, via: 'cli', rc: out.code, events, ms: Date.now() - started, ...(out.timedOut ? { note: `timed out after ${setup.timeoutMs} ms` } : {}) };
  }
  if (engine === 'bundled') return { engine, via: 'unavailable', rc: null, events: [], ms: 0, note: 'playbook-studio run --engine is not available yet' };

  const events: RunEvent[] = [];
  const write = journalWriter(eventsFile);
  const emitter = new EventEmitter(`conformance-${engine}`, (event) => {
    write(event);
    events.push(event);
  });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), setup.timeoutMs);
  try {
    const rc = await ansibleEngine.run({
      playbook: prepared.playbook,
      inventories: [prepared.inventory],
      extraVars: [],
      forks: setup.forks,
      tags: [],
      skipTags: [],
      check: false,
      diff: false,
      coreVersion: '2.14',
      instantJoins: setup.instantJoins,
      killJobsOnCancel: false,
      hostKeyPolicy: 'strict',
      knownHosts: setup.knownHosts,
      events: emitter,
      signal: controller.signal,
    });
    return { engine, via: 'in-process', rc, events, ms: Date.now() - started, ...(controller.signal.aborted ? { note: `timed out after ${setup.timeoutMs} ms` } : {}) };
  } finally {
    clearTimeout(timer);
  }
}

interface Captured {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function capture(command: string, args: string[], cwd: string, timeoutMs: number): Promise<Captured> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    // SIGINT first so the CLI can stop its engine the way a user's Ctrl-C would; SIGKILL if it does not.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: stderr + String(error), timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}
