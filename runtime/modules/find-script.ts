/**
 * find as one POSIX sh script printing its result (what an async job runs): the same filters as find.ts
 * (patterns/excludes as shell globs or extended regexes on the file name, file_type, hidden, recurse/depth,
 * age/age_stamp, size, contains) and the same per-file stat fields, with find(1), stat(1) and grep -E.
 */
import { shellJoin, shellQuote } from '../connection/quote';
import { bool, printResultScript, str } from './common';
import { SH_JSON_FUNCTIONS } from './sh/json';
import type { ModuleContext } from './types';

/** paths/patterns/excludes: a list, or a comma-separated string, as find's list options accept */
function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  return String(value).split(',').map((s) => s.trim()).filter(Boolean);
}

/** find's `age` ("-3d", "2w", "60") in seconds */
export function parseAge(text: string): number {
  const m = /^(-?\d+)([smhdw]?)$/.exec(text.trim());
  if (!m) throw new Error(`failed to process age ${text}`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400, w: 604800, '': 1 }[m[2] as 's'];
}

/** find's `size` ("10k", "-1m", "2gb") in bytes */
export function parseSize(text: string): number {
  const m = /^(-?\d+)([bkmgt]?)b?$/i.exec(text.trim());
  if (!m) throw new Error(`failed to process size ${text}`);
  return Number(m[1]) * { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, '': 1 }[m[2].toLowerCase() as 'b'];
}

/** the options both find implementations read the same way (age and size are parsed where they can fail) */
export function findOptions(a: Record<string, unknown>) {
  return {
    paths: list(a.paths ?? a.path ?? a.name),
    patterns: list(a.patterns ?? a.pattern),
    excludes: list(a.excludes ?? a.exclude),
    useRegex: bool(a, 'use_regex', false),
    fileType: str(a, 'file_type') ?? 'file',
    recurse: bool(a, 'recurse', false),
    hidden: bool(a, 'hidden', false),
    depth: a.depth === undefined || a.depth === null ? undefined : Number(a.depth),
    contains: str(a, 'contains'),
  };
}

export function findRemoteScript(context: ModuleContext): string {
  const a = context.args;
  let age: number | undefined;
  let size: number | undefined;
  try {
    age = a.age === undefined || a.age === null ? undefined : parseAge(String(a.age));
    size = a.size === undefined || a.size === null ? undefined : parseSize(String(a.size));
  } catch (error) {
    return printResultScript({ failed: true, changed: false, msg: (error as Error).message });
  }
  const { paths, patterns, excludes, useRegex, fileType, recurse, hidden, depth, contains } = findOptions(a);
  const stampField = str(a, 'age_stamp') === 'atime' ? '%X' : str(a, 'age_stamp') === 'ctime' ? '%Z' : '%Y';
  const matchOne = useRegex ? 'printf "%s" "$name" | grep -E -q -- "$pat"' : 'case "$name" in $pat) true;; *) false;; esac';
  const bit = (mask: string) => `$( [ $(( m & ${mask} )) -ne 0 ] && echo true || echo false )`;
  const flags: [string, string][] = [['isuid', '04000'], ['isgid', '02000'], ['wusr', '0200'], ['rusr', '0400'], ['xusr', '0100'], ['wgrp', '020'], ['rgrp', '040'], ['xgrp', '010'], ['woth', '02'], ['roth', '04'], ['xoth', '01']];
  return [
    SH_JSON_FUNCTIONS,
    'out=$(mktemp) || exit 1; trap \'rm -f "$out"\' EXIT',
    `now=$(date +%s); examined=0; skipped=""; warnings=""`,
    `matches() { for pat in "$@"; do if ${matchOne}; then return 0; fi; done; return 1; }`,
    `for dir in ${shellJoin(paths)}; do`,
    `  if [ ! -d "$dir" ]; then d=$(ps_json_str "$dir"); skipped="$skipped\${skipped:+, }$d: $(ps_json_str "'$dir' is not a directory")"; w=$(ps_json_str "Skipped '$dir' path due to this access issue: '$dir' is not a directory"); w="\${w%?}\\\\n\\""; warnings="$warnings\${warnings:+, }$w"; continue; fi`,
    `  base=\${dir%/}`,
    `  find "$dir" -mindepth 1 -maxdepth ${recurse ? (depth ?? 1000) : 1} 2>/dev/null | while IFS= read -r path; do`,
    `    rel=\${path#"$base"/}; name=\${path##*/}`,
    hidden ? '    :' : '    case "/$rel" in */.*) continue;; esac',
    '    echo x >> "$out.n"',
    '    if [ -L "$path" ]; then kind=link; elif [ -d "$path" ]; then kind=directory; elif [ -f "$path" ]; then kind=file; else kind=other; fi',
    fileType === 'any' ? '    :' : `    [ "$kind" = ${shellQuote(fileType)} ] || continue`,
    `    matches ${patterns.length ? shellJoin(patterns) : "'*'"} || continue`,
    excludes.length ? `    matches ${shellJoin(excludes)} && continue` : '    :',
    age !== undefined ? `    stamp=$(stat -c ${stampField} -- "$path"); ${age >= 0 ? `[ $((now - stamp)) -ge ${age} ]` : `[ $((now - stamp)) -le ${-age} ]`} || continue` : '    :',
    size !== undefined ? `    if [ "$kind" = file ]; then sz=$(stat -c %s -- "$path"); ${size >= 0 ? `[ "$sz" -ge ${size} ]` : `[ "$sz" -le ${-size} ]`} || continue; fi` : '    :',
    contains !== undefined ? `    if [ "$kind" = file ]; then grep -E -q -- ${shellQuote(contains)} "$path" || continue; fi` : '    :',
    `    set -- $(stat -c '%a %s %u %g %X %Y %Z %i %h %d' -- "$path"); m=$((0$1))`,
    `    printf '%s\\t{"path": %s, "mode": "%04d", "size": %s, "uid": %s, "gid": %s, "pw_name": %s, "gr_name": %s, "atime": %s, "mtime": %s, "ctime": %s, "inode": %s, "nlink": %s, "dev": %s, "isdir": %s, "isreg": %s, "islnk": %s, "isblk": false, "ischr": false, "isfifo": false, "issock": false${flags.map(([k]) => `, "${k}": %s`).join('')}}\\n' "$path" "$(ps_json_str "$path")" "$1" "$2" "$3" "$4" "$(ps_json_str "$(stat -c %U -- "$path")")" "$(ps_json_str "$(stat -c %G -- "$path")")" "$5" "$6" "$7" "$8" "$9" "\${10}" "$([ "$kind" = directory ] && echo true || echo false)" "$([ "$kind" = file ] && echo true || echo false)" "$([ "$kind" = link ] && echo true || echo false)"${flags.map(([, mask]) => ` "${bit(mask)}"`).join('')} >> "$out"`,
    '  done',
    'done',
    'examined=$( [ -f "$out.n" ] && wc -l < "$out.n" || echo 0 ); rm -f "$out.n"',
    'files=$(LC_ALL=C sort "$out" | cut -f2- | paste -sd, -); matched=$(wc -l < "$out")',
    'extra=""; [ -n "$skipped" ] && extra=", \\"msg\\": \\"Not all paths examined, check warnings for details\\", \\"skipped_paths\\": {$skipped}, \\"warnings\\": [$warnings]"',
    `printf '{"changed": false, "examined": %s, "files": [%s], "matched": %s%s}\\n' "$((examined))" "$files" "$((matched))" "$extra"`,
  ].join('\n');
}
