/**
 * The file module as one POSIX sh script that prints its result (what an async job runs): the same states,
 * messages and result fields as the synchronous implementation in file.ts, with the state decided on the target
 * when the task does not give one.
 */
import { shellQuote } from '../connection/quote';
import { printResultScript, str } from './common';
import { attributesScript } from './file-info';
import { SH_JSON_FUNCTIONS } from './sh/json';
import type { ModuleContext } from './types';

const STATES = ['file', 'directory', 'touch', 'absent', 'link', 'hard'];

export function fileRemoteScript(context: ModuleContext): string {
  const a = context.args;
  const path = str(a, 'path') ?? str(a, 'dest') ?? str(a, 'name');
  if (!path) return printResultScript({ failed: true, changed: false, msg: 'missing required arguments: path' });
  const given = str(a, 'state');
  if (given !== undefined && !STATES.includes(given)) return printResultScript({ failed: true, changed: false, msg: `value of state must be one of: ${STATES.join(', ')}, got: ${given}` });
  let attrs: string;
  try {
    attrs = attributesScript(path, a);
  } catch (error) {
    return printResultScript({ failed: true, changed: false, msg: (error as Error).message, path });
  }
  const p = shellQuote(path);
  const src = str(a, 'src');
  const check = context.checkMode;
  const preserve = a.modification_time === 'preserve' || a.access_time === 'preserve';
  const failWith = (msg: string, extra = '') => `printf '{"changed": false, "failed": true, "msg": %s, "path": %s${extra}}\\n' "$(ps_json_str "${msg}")" "$pj"; exit 0`;
  const linkCheck = (kind: 'link' | 'hard') => (kind === 'link' ? `[ -L ${p} ] && [ "$(readlink -- ${p})" = ${shellQuote(src ?? '')} ]` : `[ ${p} -ef ${shellQuote(src ?? '')} ]`);
  const branch = (state: string): string => {
    switch (state) {
      case 'absent':
        return [
          `if [ "$before" = absent ]; then printf '{"changed": false, "path": %s, "state": "absent"}\\n' "$pj"; exit 0; fi`,
          check ? 'changed=true' : `err=$(rm -rf -- ${p} 2>&1) || { ${failWith('rmtree failed: $err')}; }; changed=true`,
          `printf '{"changed": %s, "path": %s, "state": "absent", "diff": {"before": {"path": %s, "state": "%s"}, "after": {"path": %s, "state": "absent"}}}\\n' "$changed" "$pj" "$pj" "$before" "$pj"; exit 0`,
        ].join('\n');
      case 'file':
        return [
          `if [ "$before" = absent ]; then ${failWith(`file (${path.replace(/["\\$`]/g, '\\$&')}) is absent, cannot continue`, ', "state": "absent"')}; fi`,
          `if [ "$before" = directory ]; then ${failWith(`file (${path.replace(/["\\$`]/g, '\\$&')}) is directory, cannot continue`, ', "state": "directory"')}; fi`,
          check ? ':' : `out=$( { ${attrs || ':'}; } 2>"$errf") || { ${failWith('$(cat "$errf")')}; }; case "$out" in *CHANGED*) changed=true;; esac`,
          'print_attrs ""; exit 0',
        ].join('\n');
      case 'directory':
        return [
          `if [ "$before" != absent ] && [ "$before" != directory ]; then ${failWith(`${path.replace(/["\\$`]/g, '\\$&')} already exists as a $before`)}; fi`,
          `if [ "$before" = absent ]; then changed=true; ${check ? ':' : `mkdir -p -- ${p} 2>"$errf" || { ${failWith('$(cat "$errf")')}; }`}; fi`,
        ].join('\n');
      case 'touch':
        // a missing parent directory fails with the module's own words
        return [
          check ? ':' : `[ -d "$(dirname -- ${p})" ] || { ${failWith(`Error, could not touch target: [Errno 2] No such file or directory: b'${path.replace(/["\\$`]/g, '\\$&')}'`)}; }`,
          preserve ? `if [ "$before" = absent ]; then changed=true; ${check ? ':' : `touch -- ${p}`}; fi` : `changed=true; ${check ? ':' : `touch -- ${p} 2>"$errf" || { ${failWith('Error, could not touch target: $(cat "$errf")')}; }`}`,
        ].join('\n');
      default:
        if (!src) return failWith(`src option is required when state is '${state}'`);
        return `if ! { ${linkCheck(state as 'link')}; }; then changed=true; ${check ? ':' : `ln ${state === 'link' ? '-s ' : ''}-f -n -- ${shellQuote(src)} ${p} 2>"$errf" || { ${failWith('$(cat "$errf")')}; }`}; fi`;
    }
  };
  const stateCase = given
    ? `state=${shellQuote(given)}\n${branch(given)}`
    : [
        'if [ "$before" = absent ]; then state=file; elif [ "$before" = other ]; then state=file; else state="$before"; fi',
        'case "$state" in',
        ...['file', 'directory', 'link'].map((s) => `${s})\n${branch(s)}\n;;`),
        'esac',
      ].join('\n');
  const srcPart = given === 'link' || given === 'hard' ? shellQuote(`, "src": ${JSON.stringify(src ?? '')}`) : "''";
  const key = given === 'touch' ? 'dest' : 'path';
  return [
    SH_JSON_FUNCTIONS,
    'errf=$(mktemp) || exit 1; trap \'rm -f "$errf"\' EXIT',
    `pj=$(ps_json_str ${p}); changed=false`,
    `if [ -L ${p} ]; then before=link; elif [ -d ${p} ]; then before=directory; elif [ -f ${p} ]; then before=file; elif [ -e ${p} ]; then before=other; else before=absent; fi`,
    // the attribute fields of the path as it is now (file/copy's result shape), then $1 (more JSON members)
    `print_attrs() { more="$1"; set -- $(stat -c '%u %g %a %s %F' -- ${p}); uid=$1; gid=$2; mode=$3; size=$4; shift 4; case "$*" in directory) st=directory;; "symbolic link") st=link;; *) st=file;; esac`,
    `  printf '{"changed": %s, "${key}": %s, "state": "%s", "uid": %s, "gid": %s, "owner": %s, "group": %s, "mode": "%04d", "size": %s%s}\\n' "$changed" "$pj" "$st" "$uid" "$gid" "$(ps_json_str "$(stat -c %U -- ${p})")" "$(ps_json_str "$(stat -c %G -- ${p})")" "$mode" "$size" "$more"; }`,
    stateCase,
    check
      ? `printf '{"changed": %s, "path": %s, "state": "%s", "diff": {"before": {"path": %s, "state": "%s"}, "after": {"path": %s, "state": "%s"}}}\\n' "$changed" "$pj" "$state" "$pj" "$before" "$pj" "$state"; exit 0`
      : `out=$( { ${attrs || ':'}; } 2>"$errf") || { ${failWith('$(cat "$errf")')}; }; case "$out" in *CHANGED*) changed=true;; esac`,
    'bs="$before"; [ "$bs" = other ] && bs=file',
    `diffj=$(printf ', "diff": {"before": {"path": %s, "state": "%s"}, "after": {"path": %s, "state": "%s"}}' "$pj" "$bs" "$pj" "$state")`,
    `print_attrs "$diffj"${srcPart === "''" ? '' : `${srcPart}`}`,
  ].join('\n');
}
