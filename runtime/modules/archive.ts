/** archive (tar.gz/bz2/xz, zip) and unarchive (tar/zip, from the controller or remote_src) with the target's tools. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { shellJoin, shellQuote } from '../connection/quote';
import type { TaskResult } from '../events/types';
import { bool, fail, printResultScript, runRemoteScript, runScript, str } from './common';
import { SH_JSON_FUNCTIONS } from './sh/json';
import type { ModuleContext, ModuleImplementation } from './types';

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : String(value).split(',')).map((p) => String(p).trim()).filter(Boolean);
}

const TAR_FLAG: Record<string, string> = { gz: 'z', bz2: 'j', xz: 'J', tar: '' };

/**
 * archive as one sh script printing its result (the sync path runs the same script; an async job runs it detached):
 * which paths exist, then tar or zip, then `remove`.
 */
function archiveScript(context: ModuleContext): string {
  const paths = list(context.args.path);
  if (!paths.length) return printResultScript({ failed: true, changed: false, msg: 'missing required arguments: path' });
  const format = str(context.args, 'format') ?? 'gz';
  const dest = str(context.args, 'dest') ?? `${paths[0]}.${format === 'zip' ? 'zip' : `tar.${format}`}`;
  if (format !== 'zip' && !(format in TAR_FLAG)) return printResultScript({ failed: true, changed: false, msg: `value of format must be one of: bz2, gz, tar, xz, zip, got: ${format}` });
  const remove = bool(context.args, 'remove', false);
  const d = shellQuote(dest);
  return [
    SH_JSON_FUNCTIONS,
    'existing=""; missing=""; set --',
    `for p in ${shellJoin(paths)}; do if [ -e "$p" ]; then set -- "$@" "$p"; existing="$existing\${existing:+, }$(ps_json_str "$p")"; else missing="$missing\${missing:+, }$(ps_json_str "$p")"; fi; done`,
    `dj=$(ps_json_str ${d})`,
    `if [ $# -eq 0 ]; then printf '{"changed": false, "failed": true, "msg": "Error, no source paths were found", "dest": %s, "missing": [%s], "archived": []}\\n' "$dj" "$missing"; exit 0; fi`,
    context.checkMode ? `printf '{"changed": true, "dest": %s, "archived": [%s], "missing": [%s], "state": "archive"}\\n' "$dj" "$existing" "$missing"; exit 0` : ':',
    'err=$(mktemp) || exit 1; trap \'rm -f "$err"\' EXIT',
    format === 'zip'
      ? `first=$1; dir=\${first%/*}; [ "$dir" = "$first" ] && dir=.; ok=true; ( cd "\${dir:-/}" && rm -f ${d} && for p in "$@"; do printf '%s\\n' "\${p##*/}"; done | zip -q -r ${d} -@ ) 2>"$err" || ok=false`
      : `ok=true; for p in "$@"; do q=\${p%/}; dir=\${q%/*}; [ "$dir" = "$q" ] && dir=.; set -- "$@" -C "\${dir:-/}" "\${q##*/}"; shift; done; tar -c${TAR_FLAG[format]}f ${d} "$@" 2>"$err" || ok=false`,
    `if [ "$ok" = false ]; then printf '{"changed": false, "failed": true, "msg": %s, "dest": %s}\\n' "$(ps_json_str "Error creating archive ${dest.replace(/["\\$`]/g, '\\$&')}: $(cat "$err")")" "$dj"; exit 0; fi`,
    remove ? `rm -rf -- ${shellJoin(paths)}` : ':',
    `printf '{"changed": true, "dest": %s, "archived": [%s], "missing": [%s], "state": "archive", "dest_state": "archive", "arcroot": "", "expanded_paths": [%s]}\\n' "$dj" "$existing" "$missing" "$existing"`,
  ].join('\n');
}

export const archiveModule: ModuleImplementation = {
  name: 'archive',
  aliases: ['community.general.archive'],
  run: (context) => runRemoteScript(context, archiveScript),
  remoteScript: archiveScript,
};

export const unarchiveModule: ModuleImplementation = {
  name: 'unarchive',
  async run(context): Promise<TaskResult> {
    const src = str(context.args, 'src');
    const dest = str(context.args, 'dest');
    if (!src || !dest) return fail(`missing required arguments: ${[!src && 'src', !dest && 'dest'].filter(Boolean).join(', ')}`);
    const creates = str(context.args, 'creates');
    if (creates) {
      const c = await runScript(context, `test -e ${shellQuote(creates)}`);
      if (c.rc === 0) return { changed: false, skipped: true, msg: `skipped, since ${creates} exists`, dest, src };
    }
    const d = await runScript(context, `test -d ${shellQuote(dest)}`);
    if (d.rc !== 0) return fail(`dest '${dest}' must be an existing dir`, { dest, src });
    let remote = src;
    let cleanup = '';
    const remoteSrc = bool(context.args, 'remote_src', false) || /^https?:\/\//.test(src);
    if (/^https?:\/\//.test(src)) {
      remote = `/tmp/.ps-unarchive-${process.pid}-${Date.now()}-${basename(src)}`;
      const dl = await runScript(context, `curl -sSfL -o ${shellQuote(remote)} -- ${shellQuote(src)}`);
      if (dl.rc !== 0) return fail(`Failure downloading ${src}: ${dl.stderr.trim()}`);
      cleanup = remote;
    } else if (!remoteSrc) {
      const local = context.findFile?.(src, 'files');
      if (!local) return fail(`Could not find or access '${src}' on the Ansible Controller.`);
      remote = `/tmp/.ps-unarchive-${process.pid}-${Date.now()}-${basename(local)}`;
      await context.connection.putFile(remote, readFileSync(local));
      cleanup = remote;
    }
    if (context.checkMode) return { changed: true, dest, src };
    const zip = /\.zip$/i.test(remote);
    const command = zip ? `unzip -o -q ${shellQuote(remote)} -d ${shellQuote(dest)}` : `tar -xf ${shellQuote(remote)} -C ${shellQuote(dest)}`;
    const res = await runScript(context, command + (cleanup ? `; rc=$?; rm -f ${shellQuote(cleanup)}; exit $rc` : ''));
    if (res.rc !== 0) return fail(`Failed to unpack ${src} to ${dest}: ${res.stderr.trim()}`, { dest, src });
    return { changed: true, dest, src, handler: zip ? 'ZipArchive' : 'TgzArchive', extract_results: { rc: 0, out: res.stdout, err: res.stderr, cmd: [command] } };
  },
};
