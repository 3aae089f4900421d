/** Ansible's magic variables (inventory_hostname, groups, hostvars, ansible_play_hosts, ...). */
export interface MagicInput {
  host: string;
  groupNames: string[];
  groups: Record<string, string[]>;
  playHosts: string[];
  playBatch: string[];
  playHostsAll: string[];
  playbookDir: string;
  inventoryDir?: string;
  checkMode: boolean;
  diffMode: boolean;
  coreVersion: string;
  hostvars: Record<string, unknown>;
  playName: string;
  runTags: string[];
  skipTags: string[];
  role?: { name: string; dir: string };
}

/** the placeholder `omit` renders to; modules drop arguments whose value is it */
export const OMIT_TOKEN = '__omit_place_holder__playbook_studio';

export function magicVars(input: MagicInput): Record<string, unknown> {
  const [major, minor] = input.coreVersion.split('.').map((n) => Number(n));
  const out: Record<string, unknown> = {
    inventory_hostname: input.host,
    inventory_hostname_short: input.host.split('.')[0],
    group_names: input.groupNames,
    groups: input.groups,
    hostvars: input.hostvars,
    ansible_play_hosts: input.playHosts,
    play_hosts: input.playHosts,
    ansible_play_batch: input.playBatch,
    ansible_play_hosts_all: input.playHostsAll,
    ansible_play_name: input.playName,
    playbook_dir: input.playbookDir,
    ansible_check_mode: input.checkMode,
    ansible_diff_mode: input.diffMode,
    ansible_run_tags: input.runTags.length ? input.runTags : ['all'],
    ansible_skip_tags: input.skipTags,
    ansible_version: { full: `${major}.${minor}.0`, major, minor, revision: 0, string: `${major}.${minor}.0` },
    omit: OMIT_TOKEN,
  };
  if (input.inventoryDir) out.inventory_dir = input.inventoryDir;
  if (input.role) {
    out.role_name = input.role.name;
    out.role_path = input.role.dir;
  }
  return out;
}
