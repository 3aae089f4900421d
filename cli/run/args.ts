/** `playbook-studio run` options, parsed the way ansible-playbook spells them. */
import { DEFAULT_CORE_VERSION } from '../../runtime/playbook/core-version';
import type { HostKeyPolicy } from '../../runtime/engines/types';

export interface RunArgs {
  playbook: string;
  inventories: string[];
  limit?: string;
  extraVars: string[];
  forks: number;
  tags: string[];
  skipTags: string[];
  /** --play values: 1-based entry numbers of the playbook file or play names */
  plays: string[];
  check: boolean;
  diff: boolean;
  coreVersion: string;
  events?: string;
  journal?: string;
  engine: 'bundled' | 'ansible';
  /** the ansible engine's ansible-playbook (a path, or a name looked up on PATH) */
  ansiblePlaybook?: string;
  instantJoins: boolean;
  killJobsOnCancel: boolean;
  privateKey?: string;
  knownHosts?: string;
  hostKeyPolicy: HostKeyPolicy;
  verbosity: number;
  color?: boolean;
  help: boolean;
}

export const RUN_USAGE = `usage: playbook-studio run PLAYBOOK -i INVENTORY [options]

  -i, --inventory PATH        inventory file (repeatable; default: implicit localhost only)
  -l, --limit PATTERN         further limit the hosts
  -e, --extra-vars VARS       k=v pairs, JSON/YAML, or @file (repeatable)
  -f, --forks N               hosts worked on at once (default 5)
  -t, --tags TAGS             only run tasks with these tags (comma separated, repeatable)
      --skip-tags TAGS        skip tasks with these tags
      --play N|NAME           run only this play: its number in the playbook file (from 1; an import_playbook
                              entry counts as one and selects all its plays) or its name (repeatable; bundled engine)
  -C, --check                 check mode: report what would change
  -D, --diff                  show differences when files change
      --core-version X.Y      ansible-core behaviour to follow where versions differ (default ${DEFAULT_CORE_VERSION})
      --engine bundled|ansible  bundled SSH engine (default) or your ansible-playbook
      --ansible-playbook PATH ansible-playbook for --engine ansible (default: $PLAYBOOK_STUDIO_ANSIBLE_PLAYBOOK, then PATH)
      --events FILE|-         write JSON-lines events to FILE, or stdout with '-' (human output then goes to stderr)
      --journal PATH          journal file (default .playbook-studio/runs/<run>.jsonl beside the playbook)
      --private-key PATH      SSH private key for hosts without ansible_ssh_private_key_file
      --known-hosts PATH      known_hosts file to verify (and record) host keys in
      --host-key-policy P     strict | accept-new (default) | prompt
      --no-instant-joins      async waits sleep out poll/delay instead of waking on job changes
      --kill-jobs-on-cancel   on cancel, kill async jobs this run started
      --color / --no-color    force colours on or off (default: on when stdout is a terminal)
  -v, --verbose               more output (repeatable; passed on to ansible-playbook with --engine ansible)`;

export class UsageError extends Error {}

export function parseRunArgs(argv: string[]): RunArgs {
  const args: RunArgs = {
    playbook: '',
    inventories: [],
    extraVars: [],
    forks: 5,
    tags: [],
    skipTags: [],
    plays: [],
    check: false,
    diff: false,
    coreVersion: DEFAULT_CORE_VERSION,
    engine: 'bundled',
    instantJoins: true,
    killJobsOnCancel: false,
    hostKeyPolicy: 'accept-new',
    verbosity: 0,
    help: false,
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    let flag = raw;
    let inline: string | undefined;
    if (raw.startsWith('--') && raw.includes('=')) {
      flag = raw.slice(0, raw.indexOf('='));
      inline = raw.slice(raw.indexOf('=') + 1);
    }
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`option ${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '-i':
      case '--inventory':
      case '--inventory-file':
        args.inventories.push(value());
        break;
      case '-l':
      case '--limit':
        args.limit = value();
        break;
      case '-e':
      case '--extra-vars':
        args.extraVars.push(value());
        break;
      case '-f':
      case '--forks': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1) throw new UsageError(`--forks must be a positive integer`);
        args.forks = n;
        break;
      }
      case '-t':
      case '--tags':
        args.tags.push(...splitList(value()));
        break;
      case '--skip-tags':
        args.skipTags.push(...splitList(value()));
        break;
      case '--play': {
        const v = value().trim();
        if (!v) throw new UsageError('--play needs a play number (from 1) or a play name');
        if (/^-?\d+$/.test(v) && Number(v) < 1) throw new UsageError(`--play numbers start at 1, got ${v}`);
        args.plays.push(v);
        break;
      }
      case '-C':
      case '--check':
        args.check = true;
        break;
      case '-D':
      case '--diff':
        args.diff = true;
        break;
      case '--core-version': {
        const v = value();
        if (!/^\d+\.\d+(\.\d+)?$/.test(v)) throw new UsageError(`--core-version expects X.Y or X.Y.Z, got "${v}"`);
        args.coreVersion = v;
        break;
      }
      case '--engine': {
        const v = value();
        if (v !== 'bundled' && v !== 'ansible') throw new UsageError(`--engine must be bundled or ansible, got "${v}"`);
        args.engine = v;
        break;
      }
      case '--ansible-playbook': {
        const v = value();
        if (!v.trim()) throw new UsageError('--ansible-playbook needs a path');
        args.ansiblePlaybook = v;
        break;
      }
      case '--events':
        args.events = value();
        break;
      case '--journal':
        args.journal = value();
        break;
      case '--private-key':
      case '--key-file':
        args.privateKey = value();
        break;
      case '--known-hosts':
        args.knownHosts = value();
        break;
      case '--host-key-policy': {
        const v = value();
        if (v !== 'strict' && v !== 'accept-new' && v !== 'prompt') throw new UsageError(`--host-key-policy must be strict, accept-new or prompt, got "${v}"`);
        args.hostKeyPolicy = v;
        break;
      }
      case '--no-instant-joins':
        args.instantJoins = false;
        break;
      case '--kill-jobs-on-cancel':
        args.killJobsOnCancel = true;
        break;
      case '--color':
        args.color = true;
        break;
      case '--no-color':
        args.color = false;
        break;
      case '-h':
      case '--help':
        args.help = true;
        break;
      default:
        if (/^-v+$/.test(flag)) args.verbosity += flag.length - 1;
        else if (flag === '--verbose') args.verbosity++;
        else if (flag.startsWith('-') && flag !== '-') throw new UsageError(`unknown option ${flag}`);
        else positional.push(raw);
    }
  }
  if (!args.help) {
    if (positional.length === 0) throw new UsageError('missing PLAYBOOK');
    if (positional.length > 1) throw new UsageError(`one playbook at a time (got ${positional.join(', ')})`);
    args.playbook = positional[0];
    // ansible-playbook has no way to run part of a playbook's plays
    if (args.plays.length && args.engine === 'ansible') throw new UsageError('--play works with the bundled engine only (ansible-playbook runs whole playbooks)');
  }
  return args;
}

function splitList(value: string): string[] {
  return value.split(',').map((t) => t.trim()).filter(Boolean);
}
