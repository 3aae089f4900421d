/**
 * The bundled engine's entry point: parse (problems reported with file:line:col before any host is
 * contacted), then every play in order, then the recap. Resolves to ansible-playbook's exit code.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConnectionPool } from '../connection/ssh';
import { LocalConnection } from '../connection/local';
import type { Connection } from '../connection/types';
import type { RunOptions } from '../engines/types';
import { ModuleRegistry } from '../modules/registry';
import { killJobAndReport } from '../async';
import { parsePlaybook } from '../playbook/parse';
import { countPlannedTasks, PlaySelectionError, selectPlays } from '../playbook/select';
import type { Play } from '../playbook/model';
import { formatLocation } from '../playbook/source';
import { parseExtraVars } from '../vars/extra-vars';
import type { RunContext } from './context';
import type { HostState } from './host-state';
import type { InventoryView } from './inventory-view';
import { PlaybookError, runPlay } from './play';
import { RunStats } from './stats';
import { Templar } from './templar';

export interface ExecutorDeps {
  inventory: InventoryView;
  /** SSH connection pool (host key policy and prompts already configured); closed by the executor */
  pool: ConnectionPool;
  modules?: ModuleRegistry;
}

export async function executePlaybook(options: RunOptions, deps: ExecutorDeps): Promise<number> {
  const events = options.events;
  const playbookPath = resolve(options.playbook);
  // Parsed before the start event (parsing emits nothing) so the start can announce how many tasks the run has.
  let text: string | undefined;
  let readError = '';
  try {
    text = readFileSync(playbookPath, 'utf8');
  } catch (error) {
    readError = (error as Error).message;
  }
  const playbook = text === undefined ? undefined : parsePlaybook(playbookPath, text, { readFile: readText, playbookDir: dirname(playbookPath) });
  const errors = playbook?.problems.filter((p) => p.severity === 'error') ?? [];
  let plays: Play[] = [];
  let selectionError: string | undefined;
  try {
    plays = playbook && !errors.length ? selectPlays(playbook, options.plays) : [];
  } catch (error) {
    if (!(error instanceof PlaySelectionError)) throw error;
    selectionError = error.message;
  }
  const taskCount = playbook && !errors.length && !selectionError ? { taskCount: countPlannedTasks(plays) } : {};
  events.emit({ event: 'playbook_on_start', playbook: playbookPath, inventory: options.inventories, engine: 'bundled', coreVersion: options.coreVersion, pid: process.pid, ...taskCount });
  const stats = new RunStats();
  const fail = (message: string, rc = 4): number => {
    events.emit({ event: 'error', message });
    events.emit({ event: 'playbook_on_stats', stats: stats.snapshot(), rc });
    return rc;
  };

  if (!playbook) return fail(`the playbook: ${options.playbook} could not be found (${readError})`);
  for (const warning of playbook.problems.filter((p) => p.severity === 'warning')) {
    const { line, character } = warning.file.position(warning.span.start);
    events.emit({ event: 'warning', message: `${formatLocation(warning.file, warning.span.start)}: ${warning.message}`, position: { file: warning.file.path, line: line + 1, column: character + 1 } });
  }
  if (errors.length) {
    const first = errors[0];
    const { line, character } = first.file.position(first.span.start);
    events.emit({ event: 'error', message: errors.map((p) => `${formatLocation(p.file, p.span.start)}: ${p.message}`).join('\n'), position: { file: first.file.path, line: line + 1, column: character + 1 } });
    events.emit({ event: 'playbook_on_stats', stats: {}, rc: 4 });
    return 4;
  }

  if (selectionError) return fail(selectionError, 5);

  let extraVars: Record<string, unknown>;
  try {
    extraVars = parseExtraVars(options.extraVars);
  } catch (error) {
    return fail((error as Error).message, 5);
  }

  let local: Connection | undefined;
  let taskCounter = 0;
  const ctx: RunContext = {
    options,
    events,
    stats,
    inventory: deps.inventory,
    pool: deps.pool,
    modules: deps.modules ?? new ModuleRegistry(),
    templar: new Templar(options.coreVersion),
    extraVars,
    playbookPath,
    playbookDir: dirname(playbookPath),
    hosts: new Map<string, HostState>(),
    localConnection: () => (local ??= new LocalConnection('localhost')),
    signal: options.signal,
    nextTaskId: () => `task-${++taskCounter}`,
    jobs: [],
  };

  try {
    let index = 0;
    for (const play of plays) {
      if (options.signal.aborted) break;
      const outcome = await runPlay(ctx, play, index++);
      if (outcome === 'break') break;
    }
  } catch (error) {
    if (error instanceof PlaybookError) {
      await deps.pool.closeAll().catch(() => undefined);
      return fail(error.message, 1);
    }
    throw error;
  } finally {
    if (options.signal.aborted && options.killJobsOnCancel) await killLaunchedJobs(ctx);
    await deps.pool.closeAll().catch(() => undefined);
    await local?.close().catch(() => undefined);
  }
  const rc = options.signal.aborted ? 1 : stats.exitCode();
  events.emit({ event: 'playbook_on_stats', stats: stats.snapshot(), rc });
  return rc;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** --kill-jobs-on-cancel: stop every job this run launched (jobs already finished are left alone) */
async function killLaunchedJobs(ctx: RunContext): Promise<void> {
  await Promise.all(
    ctx.jobs.map((job) =>
      killJobAndReport(job, (event) => ctx.events.emit(event)).catch((error: unknown) => {
        ctx.events.emit({ event: 'warning', message: `could not kill job ${job.jid} on ${job.host}: ${(error as Error).message}` });
      }),
    ),
  );
}
