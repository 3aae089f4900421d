/** archive (tar.gz/bz2/xz, zip) and unarchive (tar/zip, from the controller or remote_src) with the target's tools. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { shellJoin, shellQuote } from '../connection/quote';
import type { TaskResult } from '../events/types';
import { bool, fail, runScript, str } from './common';
import type { ModuleImplementation } from './types';

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : String(value).split(',')).map((p) => String(p).trim()).filter(Boolean);
}

const TAR_FLAG: Record<string, string> = { gz: 'z', bz2: 'j', xz: 'J', tar: '' };

export const archiveModule: ModuleImplementation = {
  name: 'archive',
  aliases: ['community.general.archive'],
  async run(context): Promise<TaskResult> {
    const paths = list(context.args.path);
    if (!paths.length) return fail('missing required arguments: path');
    const format = str(context.args, 'format') ?? 'gz';
    const dest = str(context.args, 'dest') ?? `${paths[0]}.${format === 'zip' ? 'zip' : `tar.${format}`}`;
    if (format !== 'zip' && !(format in TAR_FLAG)) return fail(`value of format must be one of: bz2, gz, tar, xz, zip, got: ${format}`);
    const remove = bool(context.args, 'remove', false);
    const check = await runScript(context, `for p in ${shellJoin(paths)}; do if [ -e "$p" ]; then echo "E $p"; else echo "M $p"; fi; done; [ -e ${shellQuote(dest)} ] && echo DEST`);
    const existing = check.stdout.split('\n').filter((l) => l.startsWith('E ')).map((l) => l.slice(2));
    const missing = check.stdout.split('\n').filter((l) => l.startsWith('M ')).map((l) => l.slice(2));
    if (!existing.length) return fail(`Error, no source paths were found`, { dest, missing, archived: [] });
    if (context.checkMode) return { changed: true, dest, archived: existing, missing, state: 'archive' };
    const parts = existing.map((p) => `-C ${shellQuote(p.replace(/\/[^/]*\/?$/, '') || '/')} ${shellQuote(basename(p))}`).join(' ');
    const command =
      format === 'zip'
        ? `cd ${shellQuote(existing[0].replace(/\/[^/]*\/?$/, '') || '/')} && rm -f ${shellQuote(dest)} && zip -q -r ${shellQuote(dest)} ${shellJoin(existing.map((p) => basename(p)))}`
        : `tar -c${TAR_FLAG[format]}f ${shellQuote(dest)} ${parts}`;
    const res = await runScript(context, command + (remove ? ` && rm -rf -- ${shellJoin(existing)}` : ''));
    if (res.rc !== 0) return fail(`Error creating archive ${dest}: ${res.stderr.trim()}`, { dest });
    return { changed: true, dest, archived: existing, missing, state: 'archive', dest_state: 'archive', arcroot: '', expanded_paths: existing };
  },
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
