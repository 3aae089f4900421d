/**
 * What each Jobs tree node says: label, description, icon id, and the status bar text. Pure functions of a node
 * and "now", so the tree, the status bar and the tests agree on the wording.
 */
import type { HostNode, JobNode, PlayNode, RunNode, TaskNode, TreeNode } from './model';

export interface NodeText {
  label: string;
  description: string;
  tooltip: string;
  /** codicon id, optionally with ~spin */
  icon: string;
  /** theme color id for the icon */
  color?: string;
}

/** 4 s, 1m 05s, 1h 02m */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function basename(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export function jobElapsedSeconds(job: JobNode, now: number): number {
  if (job.state !== 'running') return job.elapsedSeconds;
  return Math.max(job.elapsedSeconds + (now - job.elapsedAt) / 1000, (now - job.startedAt) / 1000);
}

const jobIcons: Record<JobNode['state'], { icon: string; color?: string; word: string }> = {
  running: { icon: 'sync~spin', word: 'running' },
  finished: { icon: 'pass', color: 'testing.iconPassed', word: 'finished' },
  failed: { icon: 'error', color: 'testing.iconFailed', word: 'failed' },
  timed_out: { icon: 'watch', color: 'testing.iconFailed', word: 'timed out' },
  lost: { icon: 'question', color: 'problemsWarningIcon.foreground', word: 'lost' },
  cleaned: { icon: 'trash', word: 'cleaned up' },
};

const hostIcons: Record<HostNode['state'], { icon: string; color?: string }> = {
  running: { icon: 'loading~spin' },
  retrying: { icon: 'sync~spin' },
  ok: { icon: 'check', color: 'testing.iconPassed' },
  changed: { icon: 'check', color: 'problemsWarningIcon.foreground' },
  failed: { icon: 'error', color: 'testing.iconFailed' },
  ignored: { icon: 'error', color: 'problemsWarningIcon.foreground' },
  skipped: { icon: 'debug-step-over' },
  unreachable: { icon: 'debug-disconnect', color: 'testing.iconFailed' },
};

const runIcons: Record<RunNode['state'], { icon: string; color?: string }> = {
  running: { icon: 'loading~spin' },
  ok: { icon: 'pass-filled', color: 'testing.iconPassed' },
  failed: { icon: 'error', color: 'testing.iconFailed' },
  error: { icon: 'error', color: 'testing.iconFailed' },
  cancelled: { icon: 'circle-slash' },
  interrupted: { icon: 'debug-pause' },
};

function timeLeft(deadline: number | undefined, now: number): string | undefined {
  if (deadline === undefined) return undefined;
  return `${formatDuration((deadline - now) / 1000)} left`;
}

export function jobText(job: JobNode, now: number): NodeText {
  const look = jobIcons[job.state];
  const parts: string[] = [look.word, formatDuration(jobElapsedSeconds(job, now))];
  if (job.state === 'running') {
    if (job.attempt && job.attempts) parts.push(`attempt ${job.attempt}/${job.attempts}`);
    else if (job.maxPolls) parts.push(`poll ${job.polls}/${job.maxPolls}`);
    const left = timeLeft(job.budgetDeadline ?? job.deadline, now);
    if (left) parts.push(left);
    if (job.background && !job.joined && !job.attempt) parts.push('not joined yet');
  } else {
    if (typeof job.rc === 'number') parts.push(`rc ${job.rc}`);
    if (job.reason) parts.push(job.reason);
  }
  const tooltip = [
    `job ${job.jid} on ${job.host}`,
    `state: ${look.word}`,
    job.asyncLimit ? `async limit: ${job.asyncLimit} s` : '',
    job.poll !== undefined ? `poll: ${job.poll}` : '',
    job.attempt && job.attempts ? `attempt ${job.attempt} of ${job.attempts}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return { label: `job ${job.jid}`, description: parts.join(' · '), tooltip, icon: look.icon, color: look.color };
}

export function hostText(host: HostNode, now: number): NodeText {
  const look = hostIcons[host.state];
  const parts: string[] = [host.state === 'retrying' ? 'waiting' : host.state];
  if (host.state === 'retrying' || host.state === 'running') {
    if (host.attempt && host.attempts) parts.push(`attempt ${host.attempt}/${host.attempts}`);
    parts.push(formatDuration((now - host.startedAt) / 1000));
    const left = timeLeft(host.budgetDeadline, now);
    if (left) parts.push(left);
  } else {
    if (host.endedAt) parts.push(formatDuration((host.endedAt - host.startedAt) / 1000));
    if (host.attempt && host.attempts) parts.push(`${host.attempt} attempts`);
    if (typeof host.result?.rc === 'number') parts.push(`rc ${host.result.rc}`);
    if (host.message) parts.push(host.message.split('\n')[0].slice(0, 120));
  }
  if (host.items.length) parts.push(`${host.items.length} items`);
  const label = host.delegatedTo ? `${host.host} → ${host.delegatedTo}` : host.host;
  return { label, description: parts.join(' · '), tooltip: `${label}: ${parts.join(', ')}`, icon: look.icon, color: look.color };
}

function taskState(task: TaskNode): HostNode['state'] {
  const states = task.hosts.map((h) => h.state);
  for (const s of ['running', 'retrying', 'failed', 'unreachable', 'ignored', 'changed', 'ok', 'skipped'] as const) {
    if (states.includes(s)) return s;
  }
  return 'running';
}

export function taskText(task: TaskNode): NodeText {
  const look = hostIcons[taskState(task)];
  const parts: string[] = [];
  if (task.async) parts.push(`async ${task.async} s · poll ${task.poll ?? 15}`);
  if (task.retries !== undefined) parts.push(`retries ${task.retries} × ${task.delay ?? 5} s`);
  const jobs = task.hosts.reduce((n, h) => n + h.jobs.length, 0);
  if (jobs) parts.push(`${jobs} job${jobs === 1 ? '' : 's'}`);
  parts.push(`${task.hosts.length} host${task.hosts.length === 1 ? '' : 's'}`);
  const where = task.position ? `${basename(task.position.file)}:${task.position.line}` : '';
  return {
    label: task.handler ? `handler: ${task.name}` : task.name,
    description: parts.join(' · '),
    tooltip: [task.name, task.action, where].filter(Boolean).join('\n'),
    icon: look.icon,
    color: look.color,
  };
}

export function playText(play: PlayNode): NodeText {
  return {
    label: play.name,
    description: `${play.hosts.length} host${play.hosts.length === 1 ? '' : 's'} · ${play.tasks.length} task${play.tasks.length === 1 ? '' : 's'}`,
    tooltip: `play ${play.name}\nhosts: ${play.hosts.join(', ')}`,
    icon: 'symbol-namespace',
  };
}

function countJobs(run: RunNode): { total: number; running: number } {
  let total = 0;
  let running = 0;
  for (const play of run.plays) for (const task of play.tasks) for (const host of task.hosts) for (const job of host.jobs) {
    total++;
    if (job.state === 'running') running++;
  }
  return { total, running };
}

export function runText(run: RunNode, now: number): NodeText {
  const look = runIcons[run.state];
  const jobs = countJobs(run);
  const parts: string[] = [run.state];
  parts.push(run.taskCount ? `${run.tasksStarted}/${run.taskCount} tasks` : `${run.tasksStarted} tasks`);
  if (jobs.total) parts.push(jobs.running ? `${jobs.running}/${jobs.total} jobs running` : `${jobs.total} jobs`);
  parts.push(formatDuration(((run.endedAt ?? now) - run.startedAt) / 1000));
  if (typeof run.rc === 'number' && run.state !== 'running') parts.push(`rc ${run.rc}`);
  const started = new Date(run.startedAt).toLocaleTimeString();
  return {
    label: basename(run.playbook),
    description: parts.join(' · '),
    tooltip: [`${run.playbook}`, `started ${started}`, ...run.warnings.slice(-5)].join('\n'),
    icon: look.icon,
    color: look.color,
  };
}

export function nodeText(node: TreeNode, now: number): NodeText {
  switch (node.kind) {
    case 'run':
      return runText(node, now);
    case 'play':
      return playText(node);
    case 'task':
      return taskText(node);
    case 'host':
      return hostText(node, now);
    case 'job':
      return jobText(node, now);
  }
}

/** Status bar text: `▶ site.yml 3/12 · 5 jobs` while running. */
export function statusText(run: RunNode): string {
  const jobs = countJobs(run);
  // taskCount is the engine's static count: dynamic includes can start more tasks than it saw
  const progress = run.taskCount ? `${run.tasksStarted}/${Math.max(run.taskCount, run.tasksStarted)}` : `${run.tasksStarted}`;
  const jobPart = jobs.running ? ` · ${jobs.running} job${jobs.running === 1 ? '' : 's'}` : '';
  return `▶ ${basename(run.playbook)} ${progress}${jobPart}`;
}

export function runningJobCount(run: RunNode): number {
  return countJobs(run).running;
}
