/**
 * Enables our callback plugin without dropping the user's own callbacks. ANSIBLE_CALLBACKS_ENABLED and
 * ANSIBLE_CALLBACK_PLUGINS replace (not extend) what ansible.cfg says, so we read the settings the user's
 * ansible-playbook would see (environment first, then the first ansible.cfg Ansible would pick) and append ours.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export const CALLBACK_NAME = 'playbook_studio';
const DEFAULT_CALLBACK_PLUGINS = ['~/.ansible/plugins/callback', '/usr/share/ansible/plugins/callback'];

/** Ansible's search order for its config file (ansible/config/manager.py find_ini_config_file). */
export function findAnsibleConfig(env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const candidates: string[] = [];
  if (env.ANSIBLE_CONFIG) {
    const given = resolve(cwd, env.ANSIBLE_CONFIG.replace(/^~(?=\/|$)/, homedir()));
    candidates.push(existsSync(given) && statSync(given).isDirectory() ? join(given, 'ansible.cfg') : given);
  }
  // Ansible ignores ./ansible.cfg in a world-writable directory (a security rule); so do we.
  try {
    if ((statSync(cwd).mode & 0o002) === 0) candidates.push(join(cwd, 'ansible.cfg'));
  } catch {
    /* cwd vanished: nothing to read there */
  }
  candidates.push(join(env.HOME ?? homedir(), '.ansible.cfg'), '/etc/ansible/ansible.cfg');
  return candidates.find((path) => existsSync(path) && statSync(path).isFile());
}

/** The [defaults] section of an ansible.cfg (INI with `key = value` or `key: value`, `#`/`;` comments). */
export function readDefaults(text: string): Map<string, string> {
  const values = new Map<string, string>();
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      continue;
    }
    if (section !== 'defaults') continue;
    const pair = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    if (pair) values.set(pair[1]!.toLowerCase(), pair[2]!.replace(/\s+[#;].*$/, '').trim());
  }
  return values;
}

function splitList(value: string | undefined, separator: RegExp): string[] {
  return (value ?? '')
    .split(separator)
    .map((item) => item.trim())
    .filter(Boolean);
}

export interface CallbackEnv {
  ANSIBLE_CALLBACKS_ENABLED: string;
  ANSIBLE_CALLBACK_PLUGINS: string;
}

/** The two variables to set so Ansible loads `pluginDir`'s playbook_studio next to whatever the user enabled. */
export function callbackEnvironment(pluginDir: string, env: NodeJS.ProcessEnv, cwd: string): CallbackEnv {
  const configPath = findAnsibleConfig(env, cwd);
  let defaults = new Map<string, string>();
  if (configPath) {
    try {
      defaults = readDefaults(readFileSync(configPath, 'utf8'));
    } catch {
      /* unreadable config: Ansible itself will report it */
    }
  }
  const enabled = splitList(
    env.ANSIBLE_CALLBACKS_ENABLED ?? env.ANSIBLE_CALLBACK_WHITELIST ?? defaults.get('callbacks_enabled') ?? defaults.get('callback_whitelist'),
    /,/,
  );
  if (!enabled.includes(CALLBACK_NAME)) enabled.push(CALLBACK_NAME);

  let pluginPaths: string[];
  if (env.ANSIBLE_CALLBACK_PLUGINS !== undefined) pluginPaths = splitList(env.ANSIBLE_CALLBACK_PLUGINS, /:/);
  else if (defaults.has('callback_plugins')) {
    // Relative paths in ansible.cfg are relative to the file that says them.
    const base = dirname(configPath!);
    pluginPaths = splitList(defaults.get('callback_plugins'), /:/).map((p) => (p.startsWith('~') || isAbsolute(p) ? p : resolve(base, p)));
  } else pluginPaths = [...DEFAULT_CALLBACK_PLUGINS];
  pluginPaths = [pluginDir, ...pluginPaths.filter((p) => p !== pluginDir)];

  return { ANSIBLE_CALLBACKS_ENABLED: enabled.join(','), ANSIBLE_CALLBACK_PLUGINS: pluginPaths.join(':') };
}
