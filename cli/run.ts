/**
 * `playbook-studio run`: runs a playbook with the chosen engine, journals every event before showing it,
 * prints ansible-playbook-like output, optionally streams JSON-lines events, and exits with Ansible's codes.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from '../runtime/events/emitter';
import { journalWriter } from '../runtime/events/journal';
import type { RunEvent } from '../runtime/events/types';
import { loadEngine } from '../runtime/engines';
import { AnsiblePrinter } from '../runtime/output/printer';
import { JobTracker } from '../runtime/jobs/tracker';
import { summarizeUnjoinedJobs } from '../runtime/jobs/summary';
import { parseRunArgs, RUN_USAGE, UsageError, type RunArgs } from './run/args';
import { StdinAnswers } from './run/prompts';
import { terminalPauseInput } from './run/pause-input';

function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..+$/, '').replace('T', '-');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export async function runCommand(argv: string[]): Promise<number> {
  let args: RunArgs;
  try {
    args = parseRunArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`playbook-studio run: ${error.message}\n\n${RUN_USAGE}\n`);
      return 5;
    }
    throw error;
  }
  if (args.help) {
    process.stdout.write(RUN_USAGE + '\n');
    return 0;
  }

  const runId = newRunId();
  const playbookPath = resolve(args.playbook);
  const journalPath = args.journal ? resolve(args.journal) : join(dirname(playbookPath), '.playbook-studio', 'runs', `${runId}.jsonl`);
  const eventsToStdout = args.events === '-';
  const eventsFd = args.events && !eventsToStdout ? openSync(resolve(args.events), 'a') : undefined;
  const writeEventLine = (line: string) => {
    if (eventsToStdout) writeSync(1, line + '\n');
    else if (eventsFd !== undefined) writeSync(eventsFd, line + '\n');
  };

  const humanOut = (text: string) => (eventsToStdout ? process.stderr.write(text) : process.stdout.write(text));
  const humanErr = (text: string) => process.stderr.write(text);
  const isTty = eventsToStdout ? process.stderr.isTTY : process.stdout.isTTY;
  const printer = new AnsiblePrinter({ out: humanOut, err: humanErr, color: args.color ?? (Boolean(isTty) && !process.env.NO_COLOR), verbosity: args.verbosity });

  const events = new EventEmitter(runId, journalWriter(journalPath));
  // Tracks poll: 0 jobs so the ones the playbook never joined are listed after the recap.
  const jobs = new JobTracker();
  events.on((event: RunEvent) => {
    if (args.events) writeEventLine(JSON.stringify(event));
    printer.handle(event);
    jobs.observe(event);
  });

  const answers = new StdinAnswers(writeEventLine);
  const hostKeyPrompt =
    args.hostKeyPolicy === 'prompt'
      ? async (host: string, port: number, keyType: string, fingerprint: string) => {
          if (!args.events) return false;
          const answer = await answers.ask({ event: 'host_key_prompt', host, port, keyType, fingerprint });
          return answer?.trust === true;
        }
      : undefined;
  const passphrasePrompt = args.events
    ? async (keyFile: string) => {
        const answer = await answers.ask({ event: 'secret_prompt', kind: 'passphrase', keyFile });
        return typeof answer?.secret === 'string' ? answer.secret : undefined;
      }
    : undefined;

  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(signal === 'SIGINT' ? 130 : 143);
    humanErr(`\n[WARNING]: ${signal} received, cancelling the run (again to exit at once)\n`);
    controller.abort(new Error(`cancelled by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const engine = loadEngine(args.engine);
    const rc = await engine.run({
      playbook: playbookPath,
      inventories: args.inventories.map((i) => (i.includes(',') && !i.includes('/') ? i : resolve(i))),
      limit: args.limit,
      extraVars: args.extraVars,
      forks: args.forks,
      tags: args.tags,
      skipTags: args.skipTags,
      plays: args.plays,
      check: args.check,
      diff: args.diff,
      coreVersion: args.coreVersion,
      instantJoins: args.instantJoins,
      killJobsOnCancel: args.killJobsOnCancel,
      privateKey: args.privateKey ? resolve(args.privateKey) : undefined,
      knownHosts: args.knownHosts ? resolve(args.knownHosts) : undefined,
      hostKeyPolicy: args.hostKeyPolicy,
      hostKeyPrompt,
      passphrasePrompt,
      verbosity: args.verbosity,
      ansiblePlaybook: args.ansiblePlaybook,
      // with --events, stdin carries the client's answers: pause then behaves as without a terminal
      pauseInput: args.events ? undefined : terminalPauseInput(),
      events,
      signal: controller.signal,
    });
    const unjoined = summarizeUnjoinedJobs(jobs, journalPath);
    if (unjoined.length > 0) humanOut(`\n${unjoined.join('\n')}\n`);
    return controller.signal.aborted ? (interrupts ? 130 : rc) : rc;
  } catch (error) {
    humanErr(`ERROR! ${(error as Error).message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    answers.close();
    if (eventsFd !== undefined) closeSync(eventsFd);
  }
}
