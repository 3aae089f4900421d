/** Options of `playbook-studio jobs`: one small parser, errors as messages (never exceptions). */
export interface JobsArgs {
  action: 'list' | 'attach' | 'cleanup';
  journal: string;
  json: boolean;
  instantJoins: boolean;
  pollSeconds: number;
  graceSeconds: number;
  all: boolean;
  /** cleanup: only these job ids (repeatable --jid) */
  jids: string[];
  /** cleanup: only jobs of this inventory host (or whose status file lives on it) */
  host?: string;
  /** attach: also write the observed events as JSON lines to this file, or stdout with '-' */
  events?: string;
}

export const jobsUsage = `usage: playbook-studio jobs list|attach|cleanup JOURNAL [options]

  list JOURNAL       every async job the run launched, with its last known state
  attach JOURNAL     re-poll every job nobody joined and report each final result
  cleanup JOURNAL    remove the status files of finished jobs (like async_status mode=cleanup;
                     never stops a job)

options:
  --json                  machine-readable output (one JSON object per job)
  --no-instant-joins      attach: re-read every --poll seconds instead of waking on changes
  --poll SECONDS          attach: longest wait between reads (default 5)
  --grace SECONDS         attach: how long past a job's watchdog deadline it may stay silent (default 30)
  --all                   cleanup: also remove the files of jobs still running
  --jid JID               cleanup: only this job (repeatable)
  --host HOST             cleanup: only jobs of this host
  --events FILE|-         attach: write the events it observes as JSON lines (the same stream as run --events)
                          to FILE, or stdout with '-' (the per-job report then goes to stderr unless --json)`;

export function parseJobsArgs(argv: string[]): JobsArgs | string {
  const [action, ...rest] = argv;
  if (action !== 'list' && action !== 'attach' && action !== 'cleanup') {
    return action === undefined ? 'missing subcommand' : `unknown subcommand '${action}'`;
  }
  const out: JobsArgs = { action, journal: '', json: false, instantJoins: true, pollSeconds: 5, graceSeconds: 30, all: false, jids: [] };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const number = (name: string): number | string => {
      const value = rest[++i];
      const n = Number(value);
      return value === undefined || !Number.isFinite(n) || n <= 0 ? `${name} needs a positive number of seconds` : n;
    };
    const text = (name: string): string | { error: string } => {
      const value = rest[++i];
      return value === undefined || value === '' || (value.startsWith('-') && value !== '-') ? { error: `${name} needs a value` } : value;
    };
    if (arg === '--json') out.json = true;
    else if (arg === '--no-instant-joins') out.instantJoins = false;
    else if (arg === '--all') out.all = true;
    else if (arg === '--jid' || arg === '--host' || arg === '--events') {
      const value = text(arg);
      if (typeof value !== 'string') return value.error;
      if (arg === '--jid') out.jids.push(value);
      else if (arg === '--host') out.host = value;
      else out.events = value;
    } else if (arg === '--poll' || arg === '--grace') {
      const n = number(arg);
      if (typeof n === 'string') return n;
      if (arg === '--poll') out.pollSeconds = n;
      else out.graceSeconds = n;
    } else if (arg.startsWith('-')) return `unknown option '${arg}'`;
    else if (!out.journal) out.journal = arg;
    else return `unexpected argument '${arg}'`;
  }
  if (!out.journal) return 'missing JOURNAL (the events file a run wrote with --events)';
  if (out.action !== 'cleanup' && (out.jids.length || out.host)) return '--jid and --host are options of cleanup';
  if (out.action !== 'attach' && out.events) return '--events is an option of attach';
  return out;
}
