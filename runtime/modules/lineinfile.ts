/**
 * lineinfile: the file is read over the connection, edited on the controller with Ansible's rules
 * (regexp/search_string replace the last match, insertafter/insertbefore, state=absent, backrefs, create),
 * and written back only when it changed.
 */
import { shellQuote } from '../connection/quote';
import type { TaskResult } from '../events/types';
import { bool, fail, runScript, str } from './common';
import { putContent } from './copy';
import type { ModuleImplementation } from './types';
import { lineinfileRemoteScript } from './lineinfile-script';

function toRegex(pattern: string): RegExp {
  // Python's re syntax is close enough to JS for what lineinfile patterns use; (?P<n>...) needs renaming
  return new RegExp(pattern.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'));
}

export const lineinfileModule: ModuleImplementation = {
  name: 'lineinfile',
  remoteScript: lineinfileRemoteScript,
  async run(context): Promise<TaskResult> {
    const a = context.args;
    const path = str(a, 'path') ?? str(a, 'dest') ?? str(a, 'destfile') ?? str(a, 'name');
    if (!path) return fail('missing required arguments: path');
    const state = str(a, 'state') ?? 'present';
    const line = str(a, 'line') ?? str(a, 'value');
    const regexp = str(a, 'regexp') ?? str(a, 'regex');
    const searchString = str(a, 'search_string');
    const backrefs = bool(a, 'backrefs', false);
    const create = bool(a, 'create', false);
    if (state === 'present' && line === undefined) return fail('line is required with state=present');
    const read = await runScript(context, `if [ -f ${shellQuote(path)} ]; then printf 'E'; cat -- ${shellQuote(path)}; elif [ -e ${shellQuote(path)} ]; then printf 'D'; else printf 'A'; fi`);
    if (read.rc !== 0) return fail(read.stderr.trim() || `cannot read ${path}`);
    const marker = read.stdout[0];
    if (marker === 'D') return fail(`Path ${path} is a directory !`, { rc: 256 });
    if (marker === 'A') {
      if (state === 'absent') return { changed: false, found: 0, msg: '', backup: '', diff: { before: '', after: '', before_header: `${path} (content)`, after_header: `${path} (content)` } };
      if (!create) return fail(`Destination ${path} does not exist !`, { rc: 257 });
    }
    const original = marker === 'E' ? read.stdout.slice(1) : '';
    const lines = original === '' ? [] : original.split(/(?<=\n)/);
    const matches = (l: string) => {
      const text = l.replace(/\r?\n$/, '');
      if (regexp !== undefined) return toRegex(regexp).test(text);
      if (searchString !== undefined) return text.includes(searchString);
      return text === line;
    };
    let changed = false;
    let msg = '';
    let found = 0;
    if (state === 'absent') {
      const kept = lines.filter((l) => !matches(l));
      found = lines.length - kept.length;
      if (found) {
        changed = true;
        msg = `${found} line(s) removed`;
        lines.splice(0, lines.length, ...kept);
      }
    } else {
      let index = -1;
      for (let i = 0; i < lines.length; i++) if ((regexp !== undefined || searchString !== undefined) && matches(lines[i])) index = i;
      const exact = lines.findIndex((l) => l.replace(/\r?\n$/, '') === line);
      let newLine = line!;
      if (index >= 0) {
        if (backrefs && regexp !== undefined) {
          const m = toRegex(regexp).exec(lines[index].replace(/\r?\n$/, ''))!;
          newLine = line!.replace(/\\(\d+)|\\g<(\w+)>/g, (_s, n, name) => (n !== undefined ? m[Number(n)] ?? '' : m.groups?.[name] ?? ''));
        }
        if (lines[index].replace(/\r?\n$/, '') !== newLine) {
          lines[index] = newLine + '\n';
          changed = true;
          msg = 'line replaced';
        }
      } else if (backrefs) {
        msg = '';
      } else if (exact >= 0) {
        msg = '';
      } else {
        const after = str(a, 'insertafter');
        const before = str(a, 'insertbefore');
        let at = lines.length;
        if (before !== undefined) {
          if (before === 'BOF') at = 0;
          else {
            const i = lines.findIndex((l) => toRegex(before).test(l.replace(/\r?\n$/, '')));
            if (i >= 0) at = i;
          }
        } else if (after !== undefined && after !== 'EOF') {
          let i = -1;
          lines.forEach((l, n) => {
            if (toRegex(after).test(l.replace(/\r?\n$/, ''))) i = n;
          });
          if (i >= 0) at = i + 1;
        }
        if (at === lines.length && lines.length && !lines[lines.length - 1].endsWith('\n')) lines[lines.length - 1] += '\n';
        lines.splice(at, 0, newLine + '\n');
        changed = true;
        msg = 'line added';
      }
    }
    const content = lines.join('');
    const diff = { before: original, after: content, before_header: `${path} (content)`, after_header: `${path} (content)` };
    if (!changed && marker === 'E') {
      const attrs = await putContent({ ...context, diffMode: false, args: { mode: a.mode, owner: a.owner, group: a.group } }, path, Buffer.from(content));
      if (attrs.failed) return attrs;
      return { changed: Boolean(attrs.changed), msg: attrs.changed ? 'ownership, perms or SE linux context changed' : msg, backup: '', diff, ...(state === 'absent' ? { found } : {}) };
    }
    const written = await putContent({ ...context, diffMode: false, args: { mode: a.mode, owner: a.owner, group: a.group } }, path, Buffer.from(content));
    if (written.failed) return written;
    return { changed: true, msg: marker === 'A' ? 'line added' : msg, backup: '', diff, ...(state === 'absent' ? { found } : {}) };
  },
};
