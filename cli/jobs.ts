/**
 * `playbook-studio jobs list|attach|cleanup JOURNAL`: the async jobs a run journaled, re-attached after a
 * controller crash or restart. Exit codes follow ansible-playbook: 0 all good, 2 a job failed or timed out,
 * 4 a job is lost or its host unreachable, 5 bad usage / unreadable journal.
 */
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { EventEmitter } from '../runtime/events/emitter';
import { journalWriter, readJournal } from '../runtime/events/journal';
import type { RunEvent } from '../runtime/events/types';
import { attachJobs, type AttachOutcome } from '../runtime/jobs/attach';
import { describeJob } from '../runtime/jobs/summary';
import { trackEvents, type JobRecord } from '../runtime/jobs/tracker';
import { parseJobsArgs, jobsUsage } from './jobs/args';
import { cleanupJobs } from './jobs/cleanup';

export async function jobsCommand(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h') {
    console.log(jobsUsage);
    return 0;
  }
  const args = parseJobsArgs(argv);
  if (typeof args === 'string') {
    console.error(`playbook-studio jobs: ${args}\n\n${jobsUsage}`);
    return 5;
  }
  if (!existsSync(args.journal)) {
    console.error(`playbook-studio jobs: ${args.journal}: no such journal file`);
    return 5;
  }
  const journal = readJournal(args.journal);
  for (const bad of journal.badLines) {
    console.error(`${args.journal}:${bad.line}:1: skipped an unreadable journal line (${bad.error}): ${bad.text.slice(0, 80)}`);
  }
  const tracker = trackEvents(journal.events as RunEvent[]);

  if (args.action === 'list') {
    const jobs = tracker.all();
    if (args.json) for (const job of jobs) console.log(JSON.stringify(job));
    else if (jobs.length === 0) console.log(`no async jobs in ${args.journal}`);
    else for (const job of jobs) console.log(`${job.joined ? 'joined ' : 'open   '} ${describeJob(job)}`);
    return 0;
  }

  const runId = (journal.events[0] as RunEvent | undefined)?.run ?? 'jobs';

  if (args.action === 'cleanup') {
    const chosen = selectJobs(tracker.all(), args.jids, args.host);
    if (typeof chosen === 'string') {
      console.error(`playbook-studio jobs: ${args.journal}: ${chosen}`);
      return 5;
    }
    const outcomes = await cleanupJobs(chosen.filter((job) => job.state !== 'cleaned'), args.all);
    // Journaled like async_status mode=cleanup, so a later list/attach (or a reloaded window) sees the job as cleaned.
    const emitter = new EventEmitter(`${runId}+cleanup-${Date.now()}`, journalWriter(args.journal));
    let worst = 0;
    for (const outcome of outcomes) {
      const { job } = outcome;
      if (outcome.action === 'erased') emitter.emit({ event: 'job_cleaned', taskId: job.taskId, task: job.task, host: job.host, jid: job.jid, state: 'cleaned', reason: 'status file removed' });
      if (args.json) console.log(JSON.stringify({ jid: job.jid, host: job.statusHost, action: outcome.action, detail: outcome.detail }));
      else console.log(`${job.statusHost}: jid=${job.jid} ${outcome.action}${outcome.detail ? `: ${outcome.detail}` : ''}`);
      if (outcome.action === 'error') worst = 4;
    }
    return worst;
  }

  const eventsToStdout = args.events === '-';
  const eventsFd = args.events && !eventsToStdout ? openSync(resolve(args.events), 'a') : undefined;
  const emitter = new EventEmitter(`${runId}+attach-${Date.now()}`, journalWriter(args.journal));
  // --events: the same JSON-lines stream as `run --events`, so a client applies attach events as it does a run's.
  emitter.on((event) => {
    if (eventsToStdout) writeSync(1, JSON.stringify(event) + '\n');
    else if (eventsFd !== undefined) writeSync(eventsFd, JSON.stringify(event) + '\n');
  });
  // With events on stdout the human report moves to stderr (JSON outcomes stay on stdout: they carry no `event`).
  const report = (line: string) => (eventsToStdout && !args.json ? console.error(line) : console.log(line));
  const open = tracker.open();
  if (open.length === 0) {
    report(`nothing to attach: every job in ${args.journal} was joined or cleaned up (${tracker.all().length} jobs)`);
    if (eventsFd !== undefined) closeSync(eventsFd);
    return 0;
  }
  if (!args.json) report(`attaching to ${open.length} job(s) from ${args.journal}`);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    const attached = await attachJobs({
      journalPath: args.journal,
      emit: (event) => void emitter.emit(event),
      instantJoins: args.instantJoins,
      pollSeconds: args.pollSeconds,
      graceSeconds: args.graceSeconds,
      signal: controller.signal,
      onOutcome: (outcome) => report(formatOutcome(outcome, args.json)),
    });
    return exitCode(attached.outcomes);
  } finally {
    process.removeListener('SIGINT', onSignal);
    if (eventsFd !== undefined) closeSync(eventsFd);
  }
}

/** --jid/--host narrow the journal's jobs; asking for a job the journal does not have is an error, not a no-op. */
function selectJobs(jobs: JobRecord[], jids: string[], host: string | undefined): JobRecord[] | string {
  const onHost = host === undefined ? jobs : jobs.filter((job) => job.host === host || job.statusHost === host);
  if (host !== undefined && onHost.length === 0) return `no async job of host ${host} (hosts with jobs: ${[...new Set(jobs.map((job) => job.host))].join(', ') || 'none'})`;
  if (jids.length === 0) return onHost;
  const missing = jids.filter((jid) => !onHost.some((job) => job.jid === jid));
  if (missing.length) return `no async job ${missing.map((jid) => `jid=${jid}`).join(', ')}${host !== undefined ? ` on ${host}` : ''}`;
  return onHost.filter((job) => jids.includes(job.jid));
}

function formatOutcome(outcome: AttachOutcome, json: boolean): string {
  const { job } = outcome;
  if (json) return JSON.stringify({ jid: job.jid, host: job.host, statusHost: job.statusHost, task: job.task, state: outcome.state, result: outcome.result, error: outcome.error });
  const where = job.statusHost !== job.host ? `${job.host} -> ${job.statusHost}` : job.host;
  const head = `${outcome.state.toUpperCase()}: [${where}] jid=${job.jid} task="${job.task}"`;
  if (outcome.error) return `${head}: ${outcome.error}`;
  return `${head} => ${JSON.stringify(outcome.result)}`;
}

function exitCode(outcomes: AttachOutcome[]): number {
  if (outcomes.some((o) => o.state === 'lost' || o.state === 'running')) return 4;
  if (outcomes.some((o) => o.state === 'failed' || o.state === 'timed_out')) return 2;
  return 0;
}
