/**
 * The `package` module on targets without apt: dnf, yum, apk, zypper, pacman. The manager is `use:`, else the
 * host's `ansible_pkg_mgr` fact, else whatever the target has (checked in the script itself, so the same script
 * also works as an async job). apt targets go through the apt module's script. One result shape for every
 * manager: changed, failed, msg, rc, results (one line per package acted on), stdout/stderr (+ _lines).
 */
import { shellJoin, shellQuote } from '../connection/quote';
import { bool, str } from './common';
import { SH_JSON_FUNCTIONS } from './sh/json';
import type { ModuleContext } from './types';

interface Manager {
  /** sh condition: package "$p" is installed */
  installed: string;
  /** sh condition: an upgrade of installed package "$p" is available */
  outdated: string;
  install: string;
  remove: string;
  /** installs or upgrades to the newest version */
  upgrade: string;
  updateCache: string;
}

export const MANAGERS: Record<string, Manager> = {
  dnf: {
    installed: 'rpm -q -- "$p" >/dev/null 2>&1',
    outdated: '{ dnf -q check-update -- "$p" >/dev/null 2>&1; [ $? -eq 100 ]; }',
    install: 'dnf -y install', remove: 'dnf -y remove', upgrade: 'dnf -y install --best', updateCache: 'dnf -y makecache',
  },
  yum: {
    installed: 'rpm -q -- "$p" >/dev/null 2>&1',
    outdated: '{ yum -q check-update -- "$p" >/dev/null 2>&1; [ $? -eq 100 ]; }',
    install: 'yum -y install', remove: 'yum -y remove', upgrade: 'yum -y update', updateCache: 'yum -y makecache',
  },
  apk: {
    installed: 'apk info -e -- "$p" >/dev/null 2>&1',
    outdated: 'apk version -- "$p" 2>/dev/null | grep -q "<"',
    install: 'apk add', remove: 'apk del', upgrade: 'apk add --upgrade', updateCache: 'apk update',
  },
  zypper: {
    installed: 'rpm -q -- "$p" >/dev/null 2>&1',
    outdated: 'zypper --non-interactive --quiet list-updates 2>/dev/null | grep -q "| $p "',
    install: 'zypper --non-interactive install', remove: 'zypper --non-interactive remove', upgrade: 'zypper --non-interactive update', updateCache: 'zypper --non-interactive refresh',
  },
  pacman: {
    installed: 'pacman -Q -- "$p" >/dev/null 2>&1',
    outdated: 'pacman -Qu -- "$p" >/dev/null 2>&1',
    install: 'pacman -S --noconfirm --needed', remove: 'pacman -R --noconfirm', upgrade: 'pacman -S --noconfirm', updateCache: 'pacman -Sy',
  },
};

/** the order a target is probed in when no manager is known (as the fact probe does) */
export const DETECTION_ORDER = ['apt-get', 'dnf', 'yum', 'zypper', 'apk', 'pacman'];

export function packageNames(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value) ? value : String(value).split(',');
  return list.map((n) => String(n).trim()).filter(Boolean);
}

const STATES = ['present', 'installed', 'latest', 'absent', 'removed'];

/** the whole module for one manager as sh printing the result JSON (meant to run inside `( … )`) */
export function managerScript(context: ModuleContext, name: string): string {
  const manager = MANAGERS[name];
  const a = context.args;
  const pkgs = packageNames(a.name ?? a.pkg ?? a.package);
  const state = str(a, 'state') ?? 'present';
  const check = context.checkMode;
  const lines = [
    'out=$(mktemp) && err=$(mktemp) || exit 1; trap \'rm -f "$out" "$err"\' EXIT',
    // $todo is split into words on purpose below; a name like "nginx*" must reach the manager, not the target's files
    'set -f',
    'changed=false; failed=false; msg=""; rc=0; results=""',
    `run() { "$@" >>"$out" 2>>"$err"; code=$?; if [ $code -ne 0 ]; then failed=true; rc=$code; msg="'$*' failed: $(tail -c 400 "$err")"; fi; }`,
    'note() { results="$results${results:+, }$(ps_json_str "$1")"; }',
  ];
  if (!STATES.includes(state)) lines.push(`failed=true; msg=${shellQuote(`value of state must be one of: ${STATES.join(', ')}, got: ${state}`)}`);
  else {
    if (bool(a, 'update_cache', false)) lines.push(check ? ':' : `run ${manager.updateCache}`);
    if (pkgs.length) {
      const list = shellJoin(pkgs);
      const absent = state === 'absent' || state === 'removed';
      const wanted = absent ? manager.installed : state === 'latest' ? `! ${manager.installed} || ${manager.outdated}` : `! ${manager.installed}`;
      const verb = absent ? manager.remove : state === 'latest' ? manager.upgrade : manager.install;
      const label = absent ? 'Removed' : 'Installed';
      lines.push(
        `todo=""; if [ "$failed" = false ]; then for p in ${list}; do if ${wanted}; then todo="$todo $p"; note "${label}: $p"; fi; done; fi`,
        `if [ -n "$todo" ]; then changed=true; ${check ? ':' : `run ${verb} $todo`}; fi`,
        `[ "$failed" = false ] && [ -z "$todo" ] && msg="Nothing to do"`,
      );
    }
  }
  lines.push(
    `printf '{"changed": %s, "failed": %s, "msg": %s, "rc": %s, "results": [%s], "stdout": %s, "stderr": %s, "stdout_lines": %s, "stderr_lines": %s}\\n' "$changed" "$failed" "$(ps_json_str "$msg")" "$rc" "$results" "$(ps_json_file "$out")" "$(ps_json_file "$err")" "$(ps_json_lines_file "$out")" "$(ps_json_lines_file "$err")"`,
  );
  return lines.join('\n');
}

/**
 * The package script: a fixed manager, or detection on the target first. `aptScript` is the apt module's
 * script (Debian targets keep the apt module's behaviour and result).
 */
export function packageScript(context: ModuleContext, manager: string | undefined, aptScript: (context: ModuleContext) => string): string {
  const undetected = JSON.stringify({ failed: true, changed: false, msg: 'Could not detect which package manager to use. Try gathering facts or setting the "use" option.' });
  const branch = (name: string) => (name === 'apt' || name === 'apt-get' ? aptScript(context) : `${SH_JSON_FUNCTIONS}\n${managerScript(context, name)}`);
  if (manager) {
    if (manager !== 'apt' && !MANAGERS[manager]) return `printf '%s\\n' ${shellQuote(JSON.stringify({ failed: true, changed: false, msg: `Could not find a module for ${manager}.` }))}`;
    return branch(manager);
  }
  const parts = DETECTION_ORDER.map((cmd, i) => `${i === 0 ? 'if' : 'elif'} command -v ${cmd} >/dev/null 2>&1; then (\n${branch(cmd)}\n)`);
  return `${parts.join('\n')}\nelse printf '%s\\n' ${shellQuote(undetected)}; fi`;
}

/** the manager the task names (`use:`) or the host's facts know; undefined means "detect on the target" */
export function chosenManager(context: ModuleContext): string | undefined {
  const use = str(context.args, 'use') ?? 'auto';
  if (use !== 'auto') return use;
  const facts = context.vars.ansible_facts as Record<string, unknown> | undefined;
  const fact = context.vars.ansible_pkg_mgr ?? facts?.pkg_mgr;
  return typeof fact === 'string' && fact !== 'unknown' && fact !== '' ? fact : undefined;
}
