/**
 * Starts, stops, re-runs and re-attaches runs. Each run is a `playbook-studio run … --events -` child process whose
 * events feed a RunModel in the store (and, through the CLI, its journal in workspace storage); after a reload the
 * journals rebuild the tree and `jobs attach --events -` streams the jobs that were still running.
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { RunEvent } from '../../runtime/events/types';
import { readJournal } from '../../runtime/events/journal';
import { RunModel, type JobNode } from '../jobs/model';
import type { RunStore } from '../jobs/store';
import type { HistoryEntry, RunHistory, RunRequest } from '../jobs/history';
import { basename, statusText } from '../jobs/labels';
import { CliProcess, type CliHandlers } from './cliProcess';
import { cliRunArgs } from './options';
import { askHostKey, changedHostKey, reportChangedHostKeys, SecretAsker } from './prompts';
import { resultMessage } from '../jobs/model';
import { readSettings, resolvePath } from '../settings';

/** Events an attach stream may contribute to a finished run: job progress only, never a new recap. */
function isJobEvent(event: RunEvent): boolean {
  return event.event.startsWith('job_') || event.event.startsWith('runner_on_async') || event.event === 'runner_retry' || event.event === 'warning' || event.event === 'error';
}

function newRunId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(3).toString('hex')}`;
}

export class RunManager implements vscode.Disposable {
  private readonly processes = new Map<string, CliProcess>();
  private readonly requests = new Map<string, RunRequest>();
  private disposed = false;

  constructor(
    private readonly cliPath: string,
    private readonly store: RunStore,
    private readonly history: RunHistory,
    private readonly output: vscode.OutputChannel,
    private readonly secrets: vscode.SecretStorage,
  ) {}

  isLive(runId: string): boolean {
    return this.processes.has(runId);
  }

  requestOf(runId: string): RunRequest | undefined {
    return this.requests.get(runId);
  }

  /** The journal file the run's events were written to. */
  journalOf(runId: string): string | undefined {
    return this.history.list().find((e) => e.id === runId)?.journal;
  }

  /** Starts a run; resolves when the process has started (not when it ends). */
  start(request: RunRequest): RunModel {
    const id = newRunId();
    const journal = this.history.journalPath(id);
    const model = new RunModel(id, request.playbook, Date.now(), request.cwd);
    this.requests.set(id, request);
    this.history.add({ id, request, journal, startedAt: model.node.startedAt });
    this.store.add(model);
    const settings = readSettings(vscode.Uri.file(request.playbook));
    const knownHosts = resolvePath(settings.knownHostsPath, request.cwd);
    const args = cliRunArgs(request, journal);
    this.output.appendLine('');
    this.output.appendLine(`▶ playbook-studio run ${basename(request.playbook)} -i ${request.inventory}${request.limit ? ` -l ${request.limit}` : ''}${request.tags ? ` -t ${request.tags}` : ''}${request.extraVars ? ' -e …' : ''}${request.plays?.length ? ` --play ${request.plays.join(',')}` : ''} (${request.engine})`);
    const env: NodeJS.ProcessEnv = {};
    if (settings.ansiblePlaybookPath) env.PLAYBOOK_STUDIO_ANSIBLE_PLAYBOOK = resolvePath(settings.ansiblePlaybookPath, request.cwd);
    // Changed host keys are gathered and reported once per run, as an error without a trust button.
    const changedKeys: string[] = [];
    let reportTimer: NodeJS.Timeout | undefined;
    const onEvent = (event: RunEvent) => {
      this.store.apply(model, event);
      if (event.event !== 'runner_on_unreachable') return;
      const message = resultMessage(event.result);
      if (!message || !changedHostKey.test(message)) return;
      changedKeys.push(message);
      reportTimer ??= setTimeout(() => reportChangedHostKeys(changedKeys), 300);
    };
    const process = new CliProcess(this.cliPath, args, request.cwd, this.handlers(model, knownHosts, onEvent), env);
    this.processes.set(id, process);
    void process.done.then((exit) => {
      this.processes.delete(id);
      if (this.disposed) return;
      const cancelled = process.stopRequested;
      if (exit.error) this.output.appendLine(`playbook-studio: could not start the runtime: ${exit.error}`);
      model.finish({ exitCode: exit.code, cancelled, error: exit.error });
      this.history.update(id, { endedAt: Date.now(), exitCode: exit.code, cancelled, error: exit.error });
      this.output.appendLine(cancelled ? '■ run stopped' : `■ run ended with exit code ${exit.code ?? exit.signal}`);
      this.store.changed(model);
    });
    this.showProgress(model, process);
    return model;
  }

  /** Resolves when the run's process (run or attach) has ended. */
  async whenDone(runId: string): Promise<void> {
    await this.processes.get(runId)?.done;
  }

  stop(runId: string): boolean {
    const process = this.processes.get(runId);
    if (!process) return false;
    this.output.appendLine('■ stopping…');
    process.stop();
    return true;
  }

  rerun(runId: string): RunModel | undefined {
    const request = this.requests.get(runId) ?? this.history.list().find((e) => e.id === runId)?.request;
    return request ? this.start(request) : undefined;
  }

  /** Rebuilds the tree from the history's journals and follows the jobs that were still running. */
  restore(): void {
    for (const entry of this.history.list()) {
      const model = this.rebuild(entry);
      this.requests.set(entry.id, entry.request);
      this.store.add(model);
    }
    for (const model of this.store.list()) if (model.runningJobs().length > 0) this.attach(model.node.runId);
  }

  /**
   * Follows a finished run's still-running jobs with `jobs attach`, which journals what it observes into the
   * run's journal: the tail of that file feeds the tree. Returns false when there is nothing to follow.
   */
  attach(runId: string): boolean {
    const model = this.store.get(runId);
    const entry = this.history.list().find((e) => e.id === runId);
    if (!model || !entry || this.processes.has(runId) || !existsSync(entry.journal)) return false;
    if (model.runningJobs().length === 0) return false;
    this.output.appendLine(`▶ attaching to ${model.runningJobs().length} running job(s) of ${basename(entry.request.playbook)}`);
    const settings = readSettings(vscode.Uri.file(entry.request.playbook));
    const knownHosts = resolvePath(settings.knownHostsPath, entry.request.cwd);
    // `--events -` streams what attach observes exactly as a run streams its events (it journals them too).
    const args = ['jobs', 'attach', entry.journal, '--json', '--events', '-'];
    if (!settings.instantJoins) args.push('--no-instant-joins');
    const process = new CliProcess(this.cliPath, args, entry.request.cwd, {
      ...this.handlers(model, knownHosts, (event) => {
        if (isJobEvent(event)) this.store.apply(model, event);
      }),
      // The final word per job (also when its events could not be journaled).
      onJson: (outcome) => this.applyOutcome(model, outcome),
    });
    model.reopen();
    this.processes.set(runId, process);
    this.store.changed(model);
    void process.done.then((exit) => {
      this.processes.delete(runId);
      if (this.disposed) return;
      model.node.live = false;
      if (exit.error) this.output.appendLine(`playbook-studio: could not attach: ${exit.error}`);
      this.output.appendLine(`■ attach ended with exit code ${exit.code ?? exit.signal}`);
      this.store.changed(model);
    });
    return true;
  }

  /**
   * Removes the status files of the run's finished jobs, or of the one `job` (async_status mode=cleanup; `all`
   * also those still running). Jobs are never stopped. Resolves to the CLI's exit code.
   */
  async cleanupJobs(runId: string, all: boolean, job?: { jid: string; host: string }): Promise<number | null> {
    const entry = this.history.list().find((e) => e.id === runId);
    const model = this.store.get(runId);
    if (!entry || !model) return null;
    const settings = readSettings(vscode.Uri.file(entry.request.playbook));
    const args = ['jobs', 'cleanup', entry.journal, '--json'];
    if (job) args.push('--jid', job.jid, '--host', job.host);
    if (all) args.push('--all');
    const process = new CliProcess(this.cliPath, args, entry.request.cwd, {
      ...this.handlers(model, resolvePath(settings.knownHostsPath, entry.request.cwd), () => undefined),
      onJson: (outcome) => {
        const job = model.jobs().find((j) => j.jid === outcome.jid);
        if (!job) return;
        if (outcome.action === 'erased') {
          this.store.apply(model, { event: 'job_cleaned', seq: 0, time: new Date().toISOString(), run: runId, jid: job.jid, host: job.host, taskId: job.taskId, task: '', state: 'cleaned', reason: 'status file removed' });
        } else if (outcome.action === 'error') this.output.appendLine(`cleanup of ${job.jid} on ${job.host} failed: ${String(outcome.detail ?? '')}`);
      },
    });
    const exit = await process.done;
    this.store.changed(model);
    return exit.code;
  }

  /** A `jobs attach --json` outcome: {jid, host, state, result, error}. */
  private applyOutcome(model: RunModel, outcome: Record<string, unknown>): void {
    const job = model.jobs().find((j) => j.jid === outcome.jid);
    const state = outcome.state;
    if (!job || typeof state !== 'string' || state === 'running' || job.state !== 'running') return;
    const result = (outcome.result ?? undefined) as Record<string, unknown> | undefined;
    const base = { seq: 0, time: new Date().toISOString(), run: model.node.runId, jid: job.jid, host: job.host, taskId: job.taskId, task: '' };
    if (state === 'lost') this.store.apply(model, { ...base, event: 'job_lost', state: 'lost', reason: typeof outcome.error === 'string' ? outcome.error : undefined });
    else this.store.apply(model, { ...base, event: 'job_status', state: state as JobNode['state'], elapsedSeconds: job.elapsedSeconds, polls: job.polls, finished: true, rc: typeof result?.rc === 'number' ? result.rc : undefined });
    if (result && !job.result) job.result = result;
  }

  forget(runId: string): void {
    this.stop(runId);
    this.history.remove(runId);
    this.requests.delete(runId);
    this.store.remove(runId);
  }

  dispose(): void {
    // The window is closing or reloading: end our processes (remote jobs keep running; the next window attaches).
    this.disposed = true;
    for (const process of this.processes.values()) process.kill();
    this.processes.clear();
  }

  private rebuild(entry: HistoryEntry): RunModel {
    const model = new RunModel(entry.id, entry.request.playbook, entry.startedAt, entry.request.cwd);
    const journal = readJournal(entry.journal);
    for (const event of journal.events) model.apply(event);
    const lastEvent = journal.events.at(-1);
    const lastTime = lastEvent?.time ? Date.parse(lastEvent.time) : NaN;
    model.finish({ exitCode: entry.exitCode, cancelled: entry.cancelled, at: entry.endedAt ?? (Number.isFinite(lastTime) ? lastTime : entry.startedAt), error: entry.error });
    return model;
  }

  /** Handlers for one CLI process; secrets asked by it share one answer per key (see SecretAsker). */
  private handlers(model: RunModel, knownHosts: string, onEvent: (event: RunEvent) => void): CliHandlers {
    const secrets = new SecretAsker(this.secrets);
    return {
      onEvent,
      onText: (text) => this.output.append(text),
      onHostKeyPrompt: (prompt) => askHostKey(prompt, knownHosts),
      onSecretPrompt: (prompt) => secrets.ask(prompt),
    };
  }

  private showProgress(model: RunModel, process: CliProcess): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Running ${basename(model.node.playbook)}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => this.stop(model.node.runId));
        let last = 0;
        const listener = this.store.onDidChange((run) => {
          const now = Date.now();
          if (run !== model || now - last < 250) return;
          last = now;
          progress.report({ message: statusText(model.node).replace(/^▶ \S+ /, 'task ') });
        });
        try {
          await process.done;
        } finally {
          listener.dispose();
        }
      },
    );
  }
}
