/**
 * copy with a directory as `src`, as ansible-core 2.14's copy action and module do it:
 * - from the controller: `src/` copies the directory's contents into `dest`, `src` (no slash) copies the directory
 *   itself (dest/<basename>/...); every file is compared by SHA-1 and only differing files are uploaded; every
 *   directory of the tree goes through `file state=directory` with `directory_mode`; `mode`/`owner`/`group` apply
 *   to the files. The whole tree costs three execs plus one upload per changed file.
 * - `remote_src: true`: the same rsync-like rule on the target (files that differ or are missing are copied,
 *   files only in dest are kept).
 * `changed` is true only when a file, a directory or an attribute changed.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { shellQuote } from '../connection/quote';
import type { TaskResult } from '../events/types';
import { becomeOf, fail, runScript } from './common';
import { attributesScript, chmodArg } from './file-info';
import type { ModuleContext } from './types';

interface LocalTree {
  /** relative directory paths, parents before children */
  dirs: string[];
  /** relative file path → absolute local path */
  files: { rel: string; local: string }[];
}

/** walks a local directory (symlinks followed, loops skipped); `prefix` is the basename when src had no slash */
export function walkLocalTree(root: string, prefix: string): LocalTree {
  const tree: LocalTree = { dirs: prefix ? [prefix] : [], files: [] };
  const seen = new Set<string>();
  const visit = (dir: string, rel: string) => {
    const real = realpathSync(dir);
    if (seen.has(real)) return;
    seen.add(real);
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const relPath = rel ? `${rel}/${name}` : name;
      let info;
      try {
        info = statSync(path);
      } catch {
        continue; // dangling symlink: nothing to copy
      }
      if (info.isDirectory()) {
        tree.dirs.push(relPath);
        visit(path, relPath);
      } else if (info.isFile()) tree.files.push({ rel: relPath, local: path });
    }
  };
  visit(root, prefix);
  return tree;
}

function sha1(data: Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

export async function copyLocalDirectory(context: ModuleContext, srcAsWritten: string, localDir: string, destArg: string): Promise<TaskResult> {
  const dest = destArg.endsWith('/') ? destArg : `${destArg}/`;
  const tree = walkLocalTree(localDir, srcAsWritten.endsWith('/') ? '' : basename(localDir));
  let dirMode: string | undefined;
  try {
    dirMode = chmodArg(context.args.directory_mode);
    chmodArg(context.args.mode);
  } catch (error) {
    return fail((error as Error).message);
  }
  const contents = tree.files.map((f) => readFileSync(f.local));
  const checksums = contents.map(sha1);
  const force = context.args.force === undefined || context.args.force === true || ['yes', 'true'].includes(String(context.args.force));
  // 1. what is there: one line per directory (D/-) and per file (its sha1 or -)
  const probe = [
    `if [ -d ${shellQuote(dest)} ]; then echo D; else echo -; fi`,
    ...tree.dirs.map((d) => `if [ -d ${shellQuote(dest + d)} ]; then echo D; else echo -; fi`),
    ...tree.files.map((f) => `if [ -f ${shellQuote(dest + f.rel)} ]; then sha1sum -- ${shellQuote(dest + f.rel)} | cut -d' ' -f1; else echo -; fi`),
  ];
  const probed = await runScript(context, probe.join('\n') || ':');
  if (probed.rc !== 0) return fail(probed.stderr.trim() || `cannot inspect ${dest}`);
  const lines = probed.stdout.split('\n');
  const destExists = lines[0] === 'D';
  const dirExists = tree.dirs.map((_, i) => lines[1 + i] === 'D');
  const remoteSums = tree.files.map((_, i) => lines[1 + tree.dirs.length + i]);
  const toUpload = tree.files.map((_, i) => remoteSums[i] === '-' || (force && remoteSums[i] !== checksums[i]));
  let changed = !destExists || dirExists.some((e) => !e) || toUpload.some(Boolean);
  if (context.checkMode) return { changed, dest, src: localDir };
  // 2. directories (created, directory_mode applied to each as the file module would), then uploads to temp names
  const setup: string[] = ['set -e', destExists ? ':' : `mkdir -p -- ${shellQuote(dest)}; echo CHANGED`];
  for (let i = 0; i < tree.dirs.length; i++) {
    const path = dest + tree.dirs[i];
    if (!dirExists[i]) setup.push(`mkdir -p -- ${shellQuote(path)}; echo CHANGED`);
    const attrs = attributesScript(path, { mode: dirMode, owner: context.args.owner, group: context.args.group });
    if (attrs) setup.push(attrs);
  }
  const made = await runScript(context, setup.join('\n'));
  if (made.rc !== 0) return fail(made.stderr.trim() || `cannot create directories under ${dest}`);
  if (made.stdout.includes('CHANGED')) changed = true;
  const stamp = `${process.pid}-${Date.now()}`;
  const finish: string[] = ['set -e'];
  for (let i = 0; i < tree.files.length; i++) {
    const target = dest + tree.files[i].rel;
    if (toUpload[i]) {
      const tmp = `${posix.dirname(target)}/.ps-tmp-${posix.basename(target)}-${stamp}`;
      await context.connection.putFile(tmp, contents[i], undefined, becomeOf(context) as never);
      finish.push(`${remoteSums[i] !== '-' ? `chmod "$(stat -c %a -- ${shellQuote(target)})" -- ${shellQuote(tmp)} 2>/dev/null || true; ` : ''}mv -f -- ${shellQuote(tmp)} ${shellQuote(target)}`);
    }
    const attrs = attributesScript(target, context.args);
    if (attrs) finish.push(attrs);
  }
  if (finish.length > 1) {
    const done = await runScript(context, finish.join('\n'));
    if (done.rc !== 0) return fail(done.stderr.trim() || `failed to write files under ${dest}`);
    if (done.stdout.includes('CHANGED')) changed = true;
  }
  return { changed, dest, src: localDir };
}

/** remote_src with a directory: rsync-like copy on the target, in one script */
export async function copyRemoteDirectory(context: ModuleContext, src: string, dest: string): Promise<TaskResult> {
  const trailing = src.endsWith('/');
  const owner = context.args.owner;
  const group = context.args.group;
  const lines = [
    `src=${shellQuote(trailing ? src : `${src}/`)}; dry=${context.checkMode ? 'true' : 'false'}`,
    trailing ? `to=${shellQuote(dest)}` : `to=${shellQuote(dest)}/${shellQuote(posix.basename(src.replace(/\/+$/, '')))}`,
    'if [ ! -d "$to" ]; then echo CHANGED; [ "$dry" = true ] || mkdir -p -- "$to" || exit 1; fi',
    'cd "$src" || exit 1',
    // what differs or is missing is copied (directories first); files only in dest are kept (filecmp.dircmp)
    'find . -mindepth 1 -type d | sort | while IFS= read -r d; do if [ ! -d "$to/$d" ]; then echo CHANGED; [ "$dry" = true ] || mkdir -p -- "$to/$d" || exit 1; fi; done || exit 1',
    'find . \\( -type f -o -type l \\) | sort | while IFS= read -r f; do if ! cmp -s -- "$f" "$to/$f" 2>/dev/null; then echo CHANGED; [ "$dry" = true ] || { cp -f -- "$f" "$to/$f" && chmod "$(stat -L -c %a -- "$f")" -- "$to/$f"; } || exit 1; fi; done || exit 1',
  ];
  if (owner !== undefined && owner !== null) lines.push(`[ "$dry" = true ] || [ -z "$(find "$to" ! -user ${shellQuote(String(owner))} | head -1)" ] || { chown -R ${shellQuote(String(owner))} -- "$to" && echo CHANGED; }`);
  if (group !== undefined && group !== null) lines.push(`[ "$dry" = true ] || [ -z "$(find "$to" ! -group ${shellQuote(String(group))} | head -1)" ] || { chgrp -R ${shellQuote(String(group))} -- "$to" && echo CHANGED; }`);
  lines.push('exit 0');
  const res = await runScript(context, lines.join('\n'));
  if (res.rc !== 0) return fail(res.stderr.trim() || `could not copy ${src} to ${dest}`);
  return { changed: res.stdout.includes('CHANGED'), dest, src, checksum: null, md5sum: null };
}
