/**
 * Facts about a remote path in one exec (GNU or busybox `stat`, `sha1sum`/`md5sum`), shaped like the fields
 * Ansible's file modules return (uid, gid, owner, group, mode "0644", size, state) and stat's `stat` dict.
 */
import { shellQuote } from '../connection/quote';
import { runScript } from './common';
import type { ModuleContext } from './types';

export interface PathInfo {
  exists: boolean;
  path: string;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  /** octal permission bits as Ansible prints them: "0644" */
  mode: string;
  size: number;
  type: 'file' | 'directory' | 'link' | 'other';
  atime: number;
  mtime: number;
  ctime: number;
  inode: number;
  nlink: number;
  dev: number;
  checksum?: string;
  md5?: string;
  linkTarget?: string;
}

const SEP = '\u001f';

export function statScript(path: string, options: { checksum?: boolean; md5?: boolean; follow?: boolean } = {}): string {
  const p = shellQuote(path);
  const follow = options.follow ? '-L ' : '';
  return [
    `if [ -e ${p} ] || [ -L ${p} ]; then`,
    `  stat ${follow}-c '%u${SEP}%g${SEP}%U${SEP}%G${SEP}%a${SEP}%s${SEP}%F${SEP}%X${SEP}%Y${SEP}%Z${SEP}%i${SEP}%h${SEP}%d' -- ${p} || exit 3`,
    options.checksum ? `  if [ -f ${p} ]; then sha1sum -- ${p} 2>/dev/null | cut -d' ' -f1; else echo; fi` : '  echo',
    options.md5 ? `  if [ -f ${p} ]; then md5sum -- ${p} 2>/dev/null | cut -d' ' -f1; else echo; fi` : '  echo',
    `  if [ -L ${p} ]; then readlink -- ${p}; else echo; fi`,
    'else echo ABSENT; fi',
  ].join('\n');
}

export function parseStat(path: string, stdout: string): PathInfo {
  const lines = stdout.split('\n');
  if (lines[0] === 'ABSENT' || lines[0] === undefined || lines[0] === '') return { exists: false, path } as PathInfo;
  const [uid, gid, owner, group, mode, size, type, atime, mtime, ctime, inode, nlink, dev] = lines[0].split(SEP);
  const kind = type.includes('directory') ? 'directory' : type.includes('symbolic link') ? 'link' : type.includes('regular') ? 'file' : 'other';
  return {
    exists: true,
    path,
    uid: Number(uid),
    gid: Number(gid),
    owner,
    group,
    mode: mode.padStart(4, '0'),
    size: Number(size),
    type: kind,
    atime: Number(atime),
    mtime: Number(mtime),
    ctime: Number(ctime),
    inode: Number(inode),
    nlink: Number(nlink),
    dev: Number(dev),
    checksum: lines[1] || undefined,
    md5: lines[2] || undefined,
    linkTarget: lines[3] || undefined,
  };
}

export async function statPath(context: ModuleContext, path: string, options: { checksum?: boolean; md5?: boolean; follow?: boolean } = {}): Promise<PathInfo> {
  const res = await runScript(context, statScript(path, options));
  if (res.rc !== 0) throw new Error(`cannot stat ${path}: ${res.stderr.trim() || `rc ${res.rc}`}`);
  return parseStat(path, res.stdout);
}

/** the attribute fields file/copy/template return for an existing path */
export function attributeFields(info: PathInfo): Record<string, unknown> {
  return { gid: info.gid, group: info.group, mode: info.mode, owner: info.owner, path: info.path, size: info.size, state: info.type === 'link' ? 'link' : info.type === 'directory' ? 'directory' : 'file', uid: info.uid };
}

/** normalises a mode argument ("0644", "644", 420, "u=rw,g=r,o=r") to what chmod accepts */
export function chmodArg(mode: unknown): string | undefined {
  if (mode === undefined || mode === null || mode === '') return undefined;
  if (typeof mode === 'number') return mode.toString(8);
  const text = String(mode).trim();
  if (/^0?[0-7]{3,4}$/.test(text)) return text.replace(/^0(?=[0-7]{3,4}$)/, '');
  if (/^[ugoa]*[-+=][rwxXstugo]*(,[ugoa]*[-+=][rwxXstugo]*)*$/.test(text)) return text;
  throw new Error(`mode must be in octal or symbolic form: ${text}`);
}

/** sh that applies mode/owner/group and prints CHANGED when anything differed */
export function attributesScript(path: string, args: Record<string, unknown>): string {
  const p = shellQuote(path);
  const parts: string[] = [];
  const mode = chmodArg(args.mode);
  if (mode !== undefined) {
    if (/^[0-7]+$/.test(mode)) parts.push(`[ "$(stat -c %a -- ${p})" = "${String(parseInt(mode, 8).toString(8))}" ] || { chmod ${mode} -- ${p} && echo CHANGED; }`);
    else parts.push(`before=$(stat -c %a -- ${p}); chmod ${shellQuote(mode)} -- ${p} && [ "$before" != "$(stat -c %a -- ${p})" ] && echo CHANGED`);
  }
  if (args.owner !== undefined && args.owner !== null) parts.push(`[ "$(stat -c %U -- ${p})" = ${shellQuote(String(args.owner))} ] || [ "$(stat -c %u -- ${p})" = ${shellQuote(String(args.owner))} ] || { chown ${shellQuote(String(args.owner))} -- ${p} && echo CHANGED; }`);
  if (args.group !== undefined && args.group !== null) parts.push(`[ "$(stat -c %G -- ${p})" = ${shellQuote(String(args.group))} ] || [ "$(stat -c %g -- ${p})" = ${shellQuote(String(args.group))} ] || { chgrp ${shellQuote(String(args.group))} -- ${p} && echo CHANGED; }`);
  return parts.join('\n');
}
