/**
 * Turns RunOptions into ansible-playbook's argv and environment. Options map one to one onto ansible-playbook's
 * own flags; host key checking is expressed as ssh options because that is where OpenSSH enforces it.
 */
import type { HostKeyPolicy, RunOptions } from '../types';

export const EVENTS_FD = 3;
const MAX_VERBOSITY = 6;

export function ansiblePlaybookArgs(options: RunOptions): string[] {
  const args: string[] = [];
  for (const inventory of options.inventories) args.push('-i', inventory);
  if (options.limit) args.push('-l', options.limit);
  for (const vars of options.extraVars) args.push('-e', vars);
  if (options.forks > 0) args.push('-f', String(options.forks));
  if (options.tags.length) args.push('--tags', options.tags.join(','));
  if (options.skipTags.length) args.push('--skip-tags', options.skipTags.join(','));
  if (options.check) args.push('--check');
  if (options.diff) args.push('--diff');
  if (options.privateKey) args.push('--private-key', options.privateKey);
  // ansible-playbook counts up to six v's; more are accepted but change nothing
  const verbosity = Math.min(Math.max(0, Math.floor(options.verbosity ?? 0)), MAX_VERBOSITY);
  if (verbosity > 0) args.push(`-${'v'.repeat(verbosity)}`);
  args.push(options.playbook);
  return args;
}

/** POSIX shell quoting: Ansible splits ssh_common_args with shlex, which follows the same rules. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * 'prompt' cannot reach the user through ansible-playbook (ssh has no terminal there), so it is as strict as
 * 'strict': an unknown key fails the host with ssh's "Host key verification failed".
 */
export function strictHostKeyChecking(policy: HostKeyPolicy): 'yes' | 'accept-new' {
  return policy === 'accept-new' ? 'accept-new' : 'yes';
}

export function sshCommonArgs(options: Pick<RunOptions, 'hostKeyPolicy' | 'knownHosts'>, existing?: string): string {
  const parts = existing?.trim() ? [existing.trim()] : [];
  if (options.knownHosts) parts.push(`-o UserKnownHostsFile=${shellQuote(options.knownHosts)}`);
  parts.push(`-o StrictHostKeyChecking=${strictHostKeyChecking(options.hostKeyPolicy)}`);
  return parts.join(' ');
}

export function ansiblePlaybookEnv(
  options: RunOptions,
  base: NodeJS.ProcessEnv,
  callbacks: { ANSIBLE_CALLBACKS_ENABLED: string; ANSIBLE_CALLBACK_PLUGINS: string },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ...callbacks };
  env.PLAYBOOK_STUDIO_EVENTS_FD = String(EVENTS_FD);
  // recorded in job_started so `jobs attach` verifies the host key against the same file later
  if (options.knownHosts) env.PLAYBOOK_STUDIO_KNOWN_HOSTS = options.knownHosts;
  else delete env.PLAYBOOK_STUDIO_KNOWN_HOSTS;
  delete env.PLAYBOOK_STUDIO_EVENTS_FILE;
  // Plain text on stderr: warnings and errors are parsed into events.
  env.ANSIBLE_NOCOLOR = '1';
  delete env.ANSIBLE_FORCE_COLOR;
  env.PYTHONUNBUFFERED = '1';
  // Host keys are always verified (never StrictHostKeyChecking=no); the policy decides about unknown keys.
  env.ANSIBLE_HOST_KEY_CHECKING = 'True';
  env.ANSIBLE_SSH_COMMON_ARGS = sshCommonArgs(options, base.ANSIBLE_SSH_COMMON_ARGS);
  return env;
}
