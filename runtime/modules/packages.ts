/**
 * apt and package (apt-get/dpkg on the target): install, remove, latest, update_cache, upgrade. One sh script
 * printing the result, so `async: 3600, poll: 0` system updates work as jobs.
 */
import { shellJoin, shellQuote } from '../connection/quote';
import type { TaskResult } from '../events/types';
import { bool, parseScriptResult, printResultScript, runRemoteScript, runScript, str } from './common';
import { SH_JSON_FUNCTIONS } from './sh/json';
import type { ModuleContext, ModuleImplementation } from './types';
import { chosenManager, packageScript } from './package-managers';

function names(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value) ? value : String(value).split(',');
  return list.map((n) => String(n).trim()).filter(Boolean);
}

function aptScript(context: ModuleContext): string {
  const a = context.args;
  const pkgs = names(a.name ?? a.pkg ?? a.package);
  for (const p of pkgs) if (!/^[A-Za-z0-9.+:=~_*-]+$/.test(p)) return `printf '%s\\n' ${shellQuote(JSON.stringify({ failed: true, changed: false, msg: `invalid package name: ${p}` }))}`;
  const state = str(a, 'state') ?? 'present';
  const updateCache = bool(a, 'update_cache', false);
  const upgrade = str(a, 'upgrade');
  const check = context.checkMode;
  const lines = [
    SH_JSON_FUNCTIONS,
    'export DEBIAN_FRONTEND=noninteractive',
    'out=$(mktemp) && err=$(mktemp) || exit 1; trap \'rm -f "$out" "$err"\' EXIT',
    'changed=false; cache_updated=false; failed=false; msg=""',
    `installed() { dpkg-query -W -f='\${Status}' "\${1%%=*}" 2>/dev/null | grep -q 'install ok installed'; }`,
    `run() { if ! "$@" >>"$out" 2>>"$err"; then failed=true; msg="'$*' failed: $(tail -c 400 "$err")"; fi; }`,
  ];
  if (updateCache) lines.push(check ? 'cache_updated=true' : 'run apt-get update -q; [ "$failed" = false ] && cache_updated=true && changed=true');
  if (upgrade && upgrade !== 'no' && upgrade !== 'false') {
    const verb = upgrade === 'dist' || upgrade === 'full' ? 'dist-upgrade' : 'upgrade';
    lines.push(
      `if [ "$failed" = false ]; then`,
      `  pending=$(apt-get -s ${verb} 2>/dev/null | grep -c '^Inst ' || true)`,
      `  if [ "\${pending:-0}" -gt 0 ]; then changed=true; ${check ? ':' : `run apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold ${verb}`}; fi`,
      `  [ "$failed" = false ] && msg="$([ "$changed" = true ] && echo "upgraded" || echo "All packages are up to date")"`,
      `fi`,
    );
  }
  if (pkgs.length) {
    const list = shellJoin(pkgs);
    if (state === 'absent') {
      lines.push(`todo=""; for p in ${list}; do installed "$p" && todo="$todo $p"; done`, `if [ -n "$todo" ] && [ "$failed" = false ]; then changed=true; ${check ? ':' : 'run apt-get -y -q remove $todo'}; fi`);
    } else if (state === 'latest') {
      lines.push(`todo=""; for p in ${list}; do if ! installed "$p" || apt-get -s install --only-upgrade "$p" 2>/dev/null | grep -q '^Inst '; then todo="$todo $p"; fi; done`, `if [ -n "$todo" ] && [ "$failed" = false ]; then changed=true; ${check ? ':' : 'run apt-get -y -q install $todo'}; fi`);
    } else if (state === 'present' || state === 'installed' || state === 'fixed') {
      lines.push(`todo=""; for p in ${list}; do installed "$p" || todo="$todo $p"; done`, `if [ -n "$todo" ] && [ "$failed" = false ]; then changed=true; ${check ? ':' : 'run apt-get -y -q install $todo'}; fi`);
    } else {
      lines.push(`failed=true; msg=${shellQuote(`value of state must be one of: absent, build-dep, fixed, latest, present, got: ${state}`)}`);
    }
  }
  lines.push(
    `printf '{"changed": %s, "failed": %s, "cache_updated": %s, "cache_update_time": %s, "msg": %s, "stdout": %s, "stderr": %s, "stdout_lines": %s, "stderr_lines": %s}\\n' "$changed" "$failed" "$cache_updated" "$(date +%s)" "$(ps_json_str "$msg")" "$(ps_json_file "$out")" "$(ps_json_file "$err")" "$(ps_json_lines_file "$out")" "$(ps_json_lines_file "$err")"`,
  );
  return lines.join('\n');
}

async function runApt(context: ModuleContext): Promise<TaskResult> {
  const res = await runScript(context, aptScript(context));
  return parseScriptResult(res.stdout, res.stderr, res.rc);
}

export const aptModule: ModuleImplementation = { name: 'apt', run: runApt, remoteScript: aptScript };

export const packageModule: ModuleImplementation = {
  name: 'package',
  async run(context) {
    const res = await runScript(context, packageRemoteScript(context));
    return parseScriptResult(res.stdout, res.stderr, res.rc);
  },
  remoteScript: packageRemoteScript,
};

function packageRemoteScript(context: ModuleContext): string {
  const args = { ...context.args };
  delete args.use;
  return packageScript({ ...context, args }, chosenManager(context), aptScript);
}

/**
 * service / systemd via systemctl: started/stopped/restarted/reloaded, enabled, daemon_reload. The result
 * carries `status` with the unit's ActiveState/SubState/UnitFileState like Ansible's systemd module.
 */
function systemdScript(context: ModuleContext): string {
  const a = context.args;
  const name = str(a, 'name') ?? str(a, 'unit') ?? str(a, 'service');
  const state = str(a, 'state');
  const enabled = a.enabled === undefined || a.enabled === null ? undefined : bool(a, 'enabled', false);
  const daemonReload = bool(a, 'daemon_reload', false) || bool(a, 'daemon-reload', false);
  if (!name && !daemonReload) return printResultScript({ failed: true, changed: false, msg: 'missing required arguments: name' });
  if (state && !['started', 'stopped', 'restarted', 'reloaded'].includes(state)) return printResultScript({ failed: true, changed: false, msg: `value of state must be one of: reloaded, restarted, started, stopped, got: ${state}` });
  const unit = name ? shellQuote(name) : '';
  const check = context.checkMode ? 'true' : 'false';
  // name/state/enabled are known now; msg only when there is one (as the module returns it)
  const fixed = [name !== undefined ? `"name": ${JSON.stringify(name)}` : '', state !== undefined ? `"state": ${JSON.stringify(state)}` : '', enabled !== undefined ? `"enabled": ${enabled}` : ''].filter(Boolean).map((f) => `, ${f}`).join('');
  return [
    SH_JSON_FUNCTIONS,
    'changed=false; failed=false; msg=""',
    `act() { if [ ${check} = true ]; then return 0; fi; if ! out=$(systemctl "$@" 2>&1); then failed=true; msg="Unable to $1 service ${(name ?? '').replace(/['"$`\\]/g, '')}: $out"; fi; }`,
    daemonReload ? 'act daemon-reload' : ':',
    name ? `active=$(systemctl is-active ${unit} 2>/dev/null); enabled_now=$(systemctl is-enabled ${unit} 2>/dev/null)` : ':',
    state === 'started' ? `if [ "$active" != active ]; then changed=true; act start ${unit}; fi` : ':',
    state === 'stopped' ? `if [ "$active" = active ] || [ "$active" = activating ]; then changed=true; act stop ${unit}; fi` : ':',
    state === 'restarted' ? `changed=true; act restart ${unit}` : ':',
    state === 'reloaded' ? `changed=true; if [ "$active" = active ]; then act reload ${unit}; else act start ${unit}; fi` : ':',
    enabled === true ? `if [ "$enabled_now" != enabled ]; then changed=true; act enable ${unit}; fi` : ':',
    enabled === false ? `if [ "$enabled_now" = enabled ]; then changed=true; act disable ${unit}; fi` : ':',
    name
      ? `st=$(systemctl show ${unit} --property=ActiveState,SubState,UnitFileState,LoadState 2>/dev/null | awk -F= '{ printf "%s\\"%s\\": \\"%s\\"", (NR > 1 ? ", " : ""), $1, $2 }')`
      : 'st=""',
    `msgj=""; [ -n "$msg" ] && msgj=", \\"msg\\": $(ps_json_str "$msg")"`,
    `printf '{"changed": %s, "failed": %s%s%s, "status": {%s}}\\n' "$changed" "$failed" ${shellQuote(fixed)} "$msgj" "$st"`,
  ].join('\n');
}

async function runSystemd(context: ModuleContext): Promise<TaskResult> {
  return runRemoteScript(context, systemdScript);
}

export const systemdModule: ModuleImplementation = { name: 'systemd', aliases: ['systemd_service', 'ansible.builtin.systemd_service'], run: runSystemd, remoteScript: systemdScript };
export const serviceModule: ModuleImplementation = { name: 'service', run: runSystemd, remoteScript: systemdScript };
