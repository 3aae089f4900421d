/**
 * `playbook-studio jobs list|attach|cleanup JOURNAL`: the async jobs a run journaled, re-attached after a
 * controller crash or restart. Exit codes follow ansible-playbook: 0 all good, 2 a job failed or timed out,
 * 4 a job is lost or its host unreachable, 5 bad usage / unreadable journal.
 */
import { existsSync } from 'node:fs';
import { EventEmitter } from '../runtime/events/emitter';
import { journalWriter, readJournal } from '../runtime/events/journal';
import type { RunEvent } from '../runtime/events/types';
import { attachJobs, type AttachOutcome } from '../runtime/jobs/attach';
import { describeJob } from '../runtime/jobs/summary';
import { trackEvents } from '../runtime/jobs/tracker';
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

  if (args.action === 'cleanup') {
    const outcomes = await cleanupJobs(tracker.all().filter((job) => job.state !== 'cleaned'), args.all);
    let worst = 0;
    for (const outcome of outcomes) {
      if (args.json) console.log(JSON.stringify({ jid: outcome.job.jid, host: outcome.job.statusHost, action: outcome.action, detail: outcome.detail }));
      else console.log(`${outcome.job.statusHost}: jid=${outcome.job.jid} ${outcome.action}${outcome.detail ? `: ${outcome.detail}` : ''}`);
      if (outcome.action === 'error') worst = 4;
    }
    return worst;
  }

  const runId = (journal.events[0] as RunEvent | undefined)?.run ?? 'attach';
  const emitter = new EventEmitter(`${runId}+attach-${Date.now()}`, journalWriter(args.journal));
  const open = tracker.open();
  if (open.length === 0) {
    console.log(`nothing to attach: every job in ${args.journal} was joined or cleaned up (${tracker.all().length} jobs)`);
    return 0;
  }
  if (!args.json) console.log(`attaching to ${open.length} job(s) from ${args.journal}`);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    const report = await attachJobs({
      journalPath: args.journal,
      emit: (event) => void emitter.emit(event),
      instantJoins: args.instantJoins,
      pollSeconds: args.pollSeconds,
      graceSeconds: args.graceSeconds,
      signal: controller.signal,
      onOutcome: (outcome) => console.log(formatOutcome(outcome, args.json)),
    });
    return exitCode(report.outcomes);
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
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
