/**
 * copy and template: the content is compared by SHA-1 with what is on the target, uploaded only when it
 * differs (to a temp file beside the destination, then renamed), and mode/owner/group are applied either way.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, posix } from 'node:path';
import { withExtra } from '../vars/lazy';
import { shellQuote } from '../connection/quote';
import type { TaskResult } from '../events/types';
import { compileTemplate } from '../template';
import { bool, becomeOf, fail, runScript, str } from './common';
import { attributeFields, attributesScript, statPath } from './file-info';
import { copyLocalDirectory, copyRemoteDirectory } from './copy-dir';
import type { ModuleContext, ModuleImplementation } from './types';

/** Ansible's MAX_FILE_SIZE_FOR_DIFF: larger files are not diffed */
const MAX_FILE_SIZE_FOR_DIFF = 104448;

/** the before/after of a content change under --diff, as the copy action's _get_diff_data builds it */
async function contentDiff(context: ModuleContext, target: string, existed: boolean, size: number, content: Buffer, sourceHeader: string): Promise<TaskResult> {
  const diff: TaskResult = {};
  if (!existed) diff.before = '';
  else if (size > MAX_FILE_SIZE_FOR_DIFF) diff.dst_larger = MAX_FILE_SIZE_FOR_DIFF;
  else {
    const read = await runScript(context, `cat -- ${shellQuote(target)}`);
    if (read.stdout.includes('\u0000')) diff.dst_binary = 1;
    else {
      diff.before_header = target;
      diff.before = read.stdout;
    }
  }
  if (content.length > MAX_FILE_SIZE_FOR_DIFF) diff.src_larger = MAX_FILE_SIZE_FOR_DIFF;
  else if (content.includes(0)) diff.src_binary = 1;
  else {
    diff.after_header = sourceHeader;
    diff.after = content.toString('utf8');
  }
  return diff;
}

export async function putContent(context: ModuleContext, dest: string, content: Buffer, extra: TaskResult = {}, diffSource = 'dynamically generated'): Promise<TaskResult> {
  const checksum = createHash('sha1').update(content).digest('hex');
  let target = dest;
  let before = await statPath(context, target, { checksum: true });
  if (before.exists && before.type === 'directory') {
    const name = str(context.args, '_original_basename');
    if (!name) return fail(`can not use content with a dir as dest`, { checksum });
    target = posix.join(dest, name);
    before = await statPath(context, target, { checksum: true });
  }
  const parent = posix.dirname(target);
  const parentInfo = await statPath(context, parent);
  if (!parentInfo.exists) return fail(`Destination directory ${parent} does not exist`, { checksum, diff: [] });
  const force = bool(context.args, 'force', true);
  let changed = false;
  let diff: TaskResult | undefined;
  if (!before.exists || (force && before.checksum !== checksum)) {
    changed = true;
    if (context.diffMode) diff = await contentDiff(context, target, before.exists, before.size, content, diffSource);
    if (!context.checkMode) {
      const tmp = `${parent}/.ps-tmp-${basename(target)}-${process.pid}-${Date.now()}`;
      await context.connection.putFile(tmp, content, undefined, becomeOf(context) as never);
      const keep = before.exists ? `chmod "$(stat -c %a -- ${shellQuote(target)})" -- ${shellQuote(tmp)} 2>/dev/null; ` : '';
      const res = await runScript(context, `${keep}mv -f -- ${shellQuote(tmp)} ${shellQuote(target)}`);
      if (res.rc !== 0) return fail(`failed to write ${target}: ${res.stderr.trim()}`, { checksum });
    }
  }
  if (!context.checkMode || before.exists) {
    let attrs: string;
    try {
      attrs = attributesScript(target, context.args);
    } catch (error) {
      return fail((error as Error).message, { checksum });
    }
    if (attrs && !(context.checkMode && !before.exists)) {
      const res = await runScript(context, attrs);
      if (res.rc !== 0) return fail(res.stderr.trim() || `failed to set attributes on ${target}`, { checksum });
      if (res.stdout.includes('CHANGED')) changed = true;
    }
  }
  if (context.checkMode && !before.exists) return { changed, checksum, dest: target, ...extra, ...(diff ? { diff: [diff] } : {}) };
  const after = await statPath(context, target, { md5: changed });
  const result: TaskResult = { changed, checksum, dest: target, ...attributeFields(after), ...extra };
  if (changed) {
    result.md5sum = after.md5 ?? createHash('md5').update(content).digest('hex');
    result.diff = diff ? [diff] : [];
  } else delete result.md5sum;
  if (!changed) {
    result.diff = { after: { path: target }, before: { path: target } };
  } else delete result.path;
  return result;
}

export const copyModule: ModuleImplementation = {
  name: 'copy',
  async run(context): Promise<TaskResult> {
    const dest = str(context.args, 'dest');
    if (!dest) return fail('missing required arguments: dest');
    if (context.args.content !== undefined && context.args.content !== null) {
      const value = context.args.content;
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return putContent(context, dest, Buffer.from(text));
    }
    const src = str(context.args, 'src');
    if (!src) return fail('src (or content) is required');
    if (bool(context.args, 'remote_src', false)) {
      const isDir = await runScript(context, `[ -d ${shellQuote(src)} ]`);
      if (isDir.rc === 0) return copyRemoteDirectory(context, src, dest);
      const res = await runScript(context, `if cmp -s -- ${shellQuote(src)} ${shellQuote(dest)}; then echo SAME; else cp -f -- ${shellQuote(src)} ${shellQuote(dest)} && echo COPIED; fi`);
      if (res.rc !== 0) return fail(res.stderr.trim() || `could not copy ${src}`);
      const info = await statPath(context, dest, { checksum: true });
      return { changed: res.stdout.includes('COPIED'), checksum: info.checksum, dest, src, ...attributeFields(info) };
    }
    const local = context.findFile?.(src, 'files');
    if (!local) return fail(`Could not find or access '${src}'\nSearched in the role/playbook files/ directories and beside the playbook on the Ansible Controller.`);
    if (statSync(local).isDirectory()) return copyLocalDirectory(context, src, local, dest);
    const destPath = dest.endsWith('/') ? posix.join(dest, basename(local)) : dest;
    const result = await putContent({ ...context, args: { ...context.args, _original_basename: basename(local) } }, destPath, readFileSync(local), {}, local);
    if (!result.failed) result.src = local;
    return result;
  },
};

export const templateModule: ModuleImplementation = {
  name: 'template',
  async run(context): Promise<TaskResult> {
    const src = str(context.args, 'src');
    const dest = str(context.args, 'dest');
    if (!src || !dest) return fail(`missing required arguments: ${[!src && 'src', !dest && 'dest'].filter(Boolean).join(', ')}`);
    const local = context.findFile?.(src, 'templates');
    if (!local) return fail(`Could not find or access '${src}'\nSearched in the role/playbook templates/ directories and beside the playbook on the Ansible Controller.`);
    let rendered: unknown;
    try {
      rendered = compileTemplate(readFileSync(local, 'utf8'), { asText: true, escapeBackslashes: false, coreVersion: context.coreVersion }).render(withExtra(context.vars, { template_path: local, template_host: context.host, template_uid: 'root', template_fullpath: local, template_destpath: dest }));
    } catch (error) {
      return fail(`AnsibleError: ${(error as Error).message}`);
    }
    const text = typeof rendered === 'string' ? rendered : String(rendered);
    const destPath = dest.endsWith('/') ? posix.join(dest, basename(local).replace(/\.j2$/, '')) : dest;
    const result = await putContent({ ...context, args: { ...context.args, _original_basename: basename(local).replace(/\.j2$/, '') } }, destPath, Buffer.from(text), {}, local);
    if (!result.failed) result.src = local;
    return result;
  },
};

