/** file: directories, touch, absent, symlinks/hard links, and mode/owner/group on existing paths. */
import { shellQuote } from '../connection/quote';
import type { TaskResult } from '../events/types';
import { fail, printResultScript, runScript, str } from './common';
import { attributeFields, attributesScript, statPath } from './file-info';
import { SH_JSON_FUNCTIONS } from './sh/json';
import { fileRemoteScript } from './file-script';
import type { ModuleContext, ModuleImplementation } from './types';

const STATES = ['file', 'directory', 'touch', 'absent', 'link', 'hard'];

async function apply(context: ModuleContext, path: string, script: string): Promise<{ changed: boolean; error?: string }> {
  const res = await runScript(context, `set -e\n${script}`);
  if (res.rc !== 0) return { changed: false, error: res.stderr.trim() || `rc ${res.rc}` };
  return { changed: res.stdout.includes('CHANGED') };
}

export const fileModule: ModuleImplementation = {
  name: 'file',
  remoteScript: fileRemoteScript,
  async run(context): Promise<TaskResult> {
    const path = str(context.args, 'path') ?? str(context.args, 'dest') ?? str(context.args, 'name');
    if (!path) return fail('missing required arguments: path');
    const before = await statPath(context, path);
    const state = str(context.args, 'state') ?? (before.exists ? (before.type === 'directory' ? 'directory' : before.type === 'link' ? 'link' : 'file') : 'file');
    if (!STATES.includes(state)) return fail(`value of state must be one of: ${STATES.join(', ')}, got: ${state}`);
    const p = shellQuote(path);
    const beforeState = before.exists ? (before.type === 'directory' ? 'directory' : before.type === 'link' ? 'link' : 'file') : 'absent';
    const diff = (after: string) => ({ after: { path, state: after }, before: { path, state: beforeState } });
    let attrs: string;
    try {
      attrs = attributesScript(path, context.args);
    } catch (error) {
      return fail((error as Error).message, { path });
    }
    if (state === 'absent') {
      if (!before.exists) return { changed: false, path, state: 'absent' };
      if (context.checkMode) return { changed: true, path, state: 'absent', diff: diff('absent') };
      const r = await apply(context, path, `rm -rf -- ${p}`);
      if (r.error) return fail(`rmtree failed: ${r.error}`, { path });
      return { changed: true, path, state: 'absent', diff: diff('absent') };
    }
    if (state === 'file') {
      if (!before.exists) return fail(`file (${path}) is absent, cannot continue`, { path, state: 'absent' });
      if (before.type === 'directory') return fail(`file (${path}) is directory, cannot continue`, { path, state: 'directory' });
      const r = context.checkMode ? { changed: false } : await apply(context, path, attrs || ':');
      if (r.error) return fail(r.error, { path });
      return { changed: r.changed, ...attributeFields(await statPath(context, path)) };
    }
    let script: string;
    switch (state) {
      case 'directory':
        if (before.exists && before.type !== 'directory') return fail(`${path} already exists as a ${before.type}`, { path });
        script = before.exists ? '' : `mkdir -p -- ${p}\necho CHANGED`;
        break;
      case 'touch':
        script = `touch -- ${p}\necho CHANGED`;
        if ((context.args.modification_time === 'preserve' || context.args.access_time === 'preserve') && before.exists) script = '';
        break;
      default: {
        const src = str(context.args, 'src');
        if (!src) return fail(`src option is required when state is '${state}'`, { path });
        const flag = state === 'link' ? '-s' : '';
        const same = state === 'link' ? `[ -L ${p} ] && [ "$(readlink -- ${p})" = ${shellQuote(src)} ]` : `[ ${p} -ef ${shellQuote(src)} ]`;
        script = `if ! { ${same}; }; then ln ${flag} -f -n -- ${shellQuote(src)} ${p}; echo CHANGED; fi`;
      }
    }
    if (context.checkMode) return { changed: script !== '', path, state, diff: diff(state) };
    const r = await apply(context, path, [script, attrs].filter(Boolean).join('\n') || ':');
    if (r.error) return fail(r.error, { path });
    const after = await statPath(context, path);
    const result: TaskResult = { changed: r.changed, diff: diff(state), ...attributeFields(after) };
    if (state === 'touch') {
      result.dest = path;
      delete result.path;
    }
    if (state === 'link' || state === 'hard') result.src = context.args.src;
    return result;
  },
};

/** stat as one sh script printing the result (what an async job runs) */
function statRemoteScript(context: ModuleContext): string {
  const path = str(context.args, 'path') ?? str(context.args, 'dest') ?? str(context.args, 'name');
  if (path === undefined) return printResultScript({ failed: true, changed: false, msg: 'missing required arguments: path' });
  const p = shellQuote(path);
  const absent = shellQuote(JSON.stringify({ changed: false, stat: { exists: false } }));
  return [
    SH_JSON_FUNCTIONS,
    `if [ ! -e ${p} ] && [ ! -L ${p} ]; then printf '%s\\n' ${absent}; exit 0; fi`,
    `set -- $(stat -c '%u %g %a %s %Y %X %Z %i %h %F' -- ${p})`,
    `uid=$1; gid=$2; mode=$3; size=$4; mtime=$5; atime=$6; ctime=$7; inode=$8; nlink=$9; shift 9; type="$*"`,
    `isdir=false; isreg=false; islnk=false; case "$type" in directory) isdir=true;; "regular file"|"regular empty file") isreg=true;; "symbolic link") islnk=true;; esac`,
    `sum=$(if [ -f ${p} ]; then sha1sum -- ${p} | cut -d' ' -f1; fi)`,
    `printf '{"changed": false, "stat": {"exists": true, "path": %s, "mode": "%04d", "isdir": %s, "isreg": %s, "islnk": %s, "uid": %s, "gid": %s, "pw_name": %s, "gr_name": %s, "size": %s, "mtime": %s, "atime": %s, "ctime": %s, "inode": %s, "nlink": %s%s}}\\n' "$(ps_json_str ${shellQuote(path)})" "$mode" "$isdir" "$isreg" "$islnk" "$uid" "$gid" "$(ps_json_str "$(stat -c %U -- ${p})")" "$(ps_json_str "$(stat -c %G -- ${p})")" "$size" "$mtime" "$atime" "$ctime" "$inode" "$nlink" "$([ -n "$sum" ] && printf ', "checksum": "%s"' "$sum")"`,
  ].join('\n');
}

export const statModule: ModuleImplementation = {
  name: 'stat',
  remoteScript: statRemoteScript,
  async run(context): Promise<TaskResult> {
    const path = str(context.args, 'path');
    if (!path) return fail('missing required arguments: path');
    const getChecksum = context.args.get_checksum !== false && context.args.get_checksum !== 'no';
    const info = await statPath(context, path, { checksum: getChecksum, follow: context.args.follow === true });
    if (!info.exists) return { changed: false, stat: { exists: false } };
    const m = parseInt(info.mode, 8);
    const stat: Record<string, unknown> = {
      exists: true,
      path,
      mode: info.mode,
      isdir: info.type === 'directory',
      isreg: info.type === 'file',
      islnk: info.type === 'link',
      isblk: false,
      ischr: false,
      isfifo: false,
      issock: false,
      uid: info.uid,
      gid: info.gid,
      pw_name: info.owner,
      gr_name: info.group,
      size: info.size,
      inode: info.inode,
      dev: info.dev,
      nlink: info.nlink,
      atime: info.atime,
      mtime: info.mtime,
      ctime: info.ctime,
      wusr: Boolean(m & 0o200), rusr: Boolean(m & 0o400), xusr: Boolean(m & 0o100),
      wgrp: Boolean(m & 0o020), rgrp: Boolean(m & 0o040), xgrp: Boolean(m & 0o010),
      woth: Boolean(m & 0o002), roth: Boolean(m & 0o004), xoth: Boolean(m & 0o001),
      isuid: Boolean(m & 0o4000), isgid: Boolean(m & 0o2000),
      executable: Boolean(m & 0o111),
      readable: Boolean(m & 0o444),
      writeable: Boolean(m & 0o222),
    };
    if (info.checksum) stat.checksum = info.checksum;
    if (info.linkTarget) stat.lnk_source = info.linkTarget;
    return { changed: false, stat };
  },
};
