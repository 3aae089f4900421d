/**
 * find: files under `paths` matching shell patterns (or regexes), by type, age, size, contains, recursion
 * and hidden files. The listing runs as one `find` on the target; filtering happens on the controller.
 */
import { shellQuote } from '../connection/quote';
import type { TaskResult } from '../events/types';
import { runScript, str } from './common';
import type { ModuleImplementation } from './types';
import { findOptions, findRemoteScript, parseAge, parseSize } from './find-script';

const SEP = '\u001f';

function globToRegex(glob: string): RegExp {
  let re = '';
  for (const c of glob) re += c === '*' ? '.*' : c === '?' ? '.' : /[.+^${}()|[\]\\]/.test(c) ? '\\' + c : c;
  return new RegExp(`^${re}$`);
}

export const findModule: ModuleImplementation = {
  name: 'find',
  remoteScript: findRemoteScript,
  async run(context): Promise<TaskResult> {
    const a = context.args;
    const { paths, patterns, excludes, useRegex, fileType, recurse, hidden, depth, contains } = findOptions(a);
    const matchers = (patterns.length ? patterns : ['*']).map((p) => (useRegex ? new RegExp(p) : globToRegex(p)));
    const excluders = excludes.map((p) => (useRegex ? new RegExp(p) : globToRegex(p)));
    const maxDepth = recurse ? (depth ?? 1000) : 1;
    const files: Record<string, unknown>[] = [];
    const skipped: Record<string, string> = {};
    const warnings: string[] = [];
    let examined = 0;
    const now = Date.now() / 1000;
    for (const dir of paths) {
      const script = `if [ ! -d ${shellQuote(dir)} ]; then echo NOTDIR; exit 0; fi; find ${shellQuote(dir)} -mindepth 1 -maxdepth ${maxDepth} -exec stat -c '%n${SEP}%F${SEP}%a${SEP}%s${SEP}%u${SEP}%g${SEP}%U${SEP}%G${SEP}%X${SEP}%Y${SEP}%Z${SEP}%i${SEP}%h${SEP}%d' {} + 2>/dev/null`;
      const res = await runScript(context, script);
      if (res.stdout.startsWith('NOTDIR')) {
        skipped[dir] = `'${dir}' is not a directory`;
        warnings.push(`Skipped '${dir}' path due to this access issue: '${dir}' is not a directory\n`);
        continue;
      }
      for (const row of res.stdout.split('\n').filter(Boolean)) {
        const [path, type, mode, size, uid, gid, owner, group, atime, mtime, ctime, inode, nlink, dev] = row.split(SEP);
        const name = path.slice(path.lastIndexOf('/') + 1);
        const relative = path.slice(dir.replace(/\/$/, '').length + 1);
        if (!hidden && relative.split('/').some((part) => part.startsWith('.'))) continue;
        examined++;
        const isDir = type.includes('directory');
        const isLink = type.includes('symbolic link');
        const isFile = type.includes('regular');
        if (fileType === 'file' && !isFile) continue;
        if (fileType === 'directory' && !isDir) continue;
        if (fileType === 'link' && !isLink) continue;
        if (!matchers.some((m) => m.test(name)) || excluders.some((m) => m.test(name))) continue;
        if (a.age !== undefined && a.age !== null) {
          const age = parseAge(String(a.age));
          const stamp = Number(str(a, 'age_stamp') === 'atime' ? atime : str(a, 'age_stamp') === 'ctime' ? ctime : mtime);
          if (age >= 0 ? now - stamp < age : now - stamp > -age) continue;
        }
        if (a.size !== undefined && a.size !== null && isFile) {
          const limit = parseSize(String(a.size));
          if (limit >= 0 ? Number(size) < limit : Number(size) > -limit) continue;
        }
        if (contains !== undefined && isFile) {
          const grep = await runScript(context, `grep -E -q -- ${shellQuote(contains)} ${shellQuote(path)}`);
          if (grep.rc !== 0) continue;
        }
        const m = parseInt(mode, 8);
        files.push({
          path, mode: mode.padStart(4, '0'), size: Number(size), uid: Number(uid), gid: Number(gid), pw_name: owner, gr_name: group,
          atime: Number(atime), mtime: Number(mtime), ctime: Number(ctime), inode: Number(inode), nlink: Number(nlink), dev: Number(dev),
          isdir: isDir, isreg: isFile, islnk: isLink, isblk: false, ischr: false, isfifo: false, issock: false,
          isuid: Boolean(m & 0o4000), isgid: Boolean(m & 0o2000),
          wusr: Boolean(m & 0o200), rusr: Boolean(m & 0o400), xusr: Boolean(m & 0o100),
          wgrp: Boolean(m & 0o020), rgrp: Boolean(m & 0o040), xgrp: Boolean(m & 0o010),
          woth: Boolean(m & 0o002), roth: Boolean(m & 0o004), xoth: Boolean(m & 0o001),
        });
      }
    }
    files.sort((x, y) => String(x.path).localeCompare(String(y.path)));
    const result: TaskResult = { changed: false, examined, files, matched: files.length };
    if (Object.keys(skipped).length) {
      result.msg = 'Not all paths examined, check warnings for details';
      result.skipped_paths = skipped;
      result.warnings = warnings;
    }
    return result;
  },
};
