/**
 * lineinfile as one POSIX sh script printing its result (what an async job runs). Matching uses grep on the
 * target (`-E` for regexp/insertafter/insertbefore, `-F` for search_string and the exact line), the edit is done
 * by line number with awk, and the file is replaced only when its content changed. The same rules as
 * lineinfile.ts (last match replaced, insertbefore first / insertafter last match, BOF/EOF, state=absent, create).
 * Python regexes are translated to grep -E where they mean the same; `backrefs` and constructs grep -E lacks
 * (lookarounds, lazy quantifiers, inline flags, back-references) return undefined: the task then runs the
 * synchronous module.
 */
import { shellQuote } from '../connection/quote';
import { bool, str } from './common';
import { attributesScript } from './file-info';
import { SH_JSON_FUNCTIONS } from './sh/json';
import type { ModuleContext } from './types';

/** Python `re` → grep -E, or undefined when the meaning would differ */
export function pythonToEre(pattern: string): string | undefined {
  if (/\(\?|[*+?}]\?|\\[1-9]|\\[AZbBg]|\\[dDsSwW](?=[^[]*\])/.test(pattern)) return undefined;
  return pattern.replace(/\\d/g, '[0-9]').replace(/\\D/g, '[^0-9]').replace(/\\s/g, '[[:space:]]').replace(/\\S/g, '[^[:space:]]').replace(/\\w/g, '[[:alnum:]_]').replace(/\\W/g, '[^[:alnum:]_]');
}

/** the script, or undefined when only the synchronous module can do the task faithfully */
export function lineinfileRemoteScript(context: ModuleContext): string | undefined {
  const a = context.args;
  const path = str(a, 'path') ?? str(a, 'dest') ?? str(a, 'destfile') ?? str(a, 'name');
  const state = str(a, 'state') ?? 'present';
  const line = str(a, 'line') ?? str(a, 'value');
  const regexpRaw = str(a, 'regexp') ?? str(a, 'regex');
  const searchString = str(a, 'search_string');
  const after = str(a, 'insertafter');
  const before = str(a, 'insertbefore');
  if (!path || bool(a, 'backrefs', false) || (state === 'present' && line === undefined)) return undefined;
  const regexp = regexpRaw === undefined ? undefined : pythonToEre(regexpRaw);
  const afterRe = after === undefined || after === 'EOF' ? after : pythonToEre(after);
  const beforeRe = before === undefined || before === 'BOF' ? before : pythonToEre(before);
  if ((regexpRaw !== undefined && regexp === undefined) || (after !== undefined && afterRe === undefined) || (before !== undefined && beforeRe === undefined)) return undefined;
  let attrs: string;
  try {
    attrs = attributesScript(path, { mode: a.mode, owner: a.owner, group: a.group });
  } catch {
    return undefined;
  }
  const p = shellQuote(path);
  const header = shellQuote(JSON.stringify(`${path} (content)`));
  const matcher = regexp !== undefined ? `grep -n -E -- "$PS_RE" "$tmp"` : searchString !== undefined ? `grep -n -F -- "$PS_SEARCH" "$tmp"` : `grep -n -x -F -- "$PS_LINE" "$tmp"`;
  const numbers = (cmd: string) => `$(${cmd} 2>/dev/null | cut -d: -f1 | tr '\\n' ' ')`;
  const edit = state === 'absent'
    ? [
        `hits=${numbers(matcher)}; found=$(printf '%s' "$hits" | wc -w)`,
        'if [ "$found" -gt 0 ]; then changed=true; msg="$found line(s) removed"; fi',
        'n=$(awk \'END { print NR }\' "$tmp"); case " $hits" in *" $n "*) end_touched=true;; esac',
        `LC_ALL=C awk -v hits=" $hits" 'index(hits, " " FNR " ") == 0 { print }' "$tmp" > "$new"`,
      ]
    : [
        regexp !== undefined || searchString !== undefined ? `index=$(${matcher} 2>/dev/null | tail -n 1 | cut -d: -f1)` : 'index=""',
        'exact=$(grep -n -x -F -- "$PS_LINE" "$tmp" 2>/dev/null | head -n 1 | cut -d: -f1)',
        'n=$(awk \'END { print NR }\' "$tmp")',
        'at=""',
        'if [ -n "$index" ]; then',
        `  if [ "$(sed -n "\${index}p" "$tmp")" != "$PS_LINE" ]; then changed=true; msg="line replaced"; [ "$index" = "$n" ] && end_touched=true; LC_ALL=C awk -v at="$index" 'FNR == at { print ENVIRON["PS_LINE"]; next } { print }' "$tmp" > "$new"; fi`,
        'elif [ -z "$exact" ]; then',
        beforeRe === 'BOF' ? '  at=0' : beforeRe !== undefined ? `  at=$(grep -n -E -- ${shellQuote(beforeRe)} "$tmp" 2>/dev/null | head -n 1 | cut -d: -f1); [ -n "$at" ] && at=$((at - 1)); [ -n "$at" ] || at=$n` : afterRe !== undefined && afterRe !== 'EOF' ? `  at=$(grep -n -E -- ${shellQuote(afterRe)} "$tmp" 2>/dev/null | tail -n 1 | cut -d: -f1); [ -n "$at" ] || at=$n` : '  at=$n',
        `  changed=true; msg="line added"; [ "$at" = "$n" ] && end_touched=true; LC_ALL=C awk -v at="$at" 'at == 0 && FNR == 1 { print ENVIRON["PS_LINE"] } { print } FNR == at && at > 0 { print ENVIRON["PS_LINE"] } END { if (NR == 0) print ENVIRON["PS_LINE"] }' "$tmp" > "$new"`,
        'fi',
      ];
  return [
    SH_JSON_FUNCTIONS,
    `export PS_LINE=${shellQuote(line ?? '')} PS_RE=${shellQuote(regexp ?? '')} PS_SEARCH=${shellQuote(searchString ?? '')}`,
    `if [ -d ${p} ]; then printf '{"changed": false, "failed": true, "rc": 256, "msg": %s}\\n' "$(ps_json_str ${shellQuote(`Path ${path} is a directory !`)})"; exit 0; fi`,
    `if [ ! -e ${p} ]; then`,
    state === 'absent'
      ? `  printf '{"changed": false, "found": 0, "msg": "", "backup": "", "diff": {"before": "", "after": "", "before_header": %s, "after_header": %s}}\\n' ${header} ${header}; exit 0`
      : bool(a, 'create', false)
        ? '  :'
        : `  printf '{"changed": false, "failed": true, "rc": 257, "msg": %s}\\n' "$(ps_json_str ${shellQuote(`Destination ${path} does not exist !`)})"; exit 0`,
    'fi',
    'orig=$(mktemp) && tmp=$(mktemp) && new=$(mktemp) || exit 1; trap \'rm -f "$orig" "$tmp" "$new"\' EXIT',
    // exact content as a JSON string: the x keeps trailing newlines through $( ), then goes
    `ps_json_exact() { if [ -s "$1" ]; then ps_json_str "$(cat -- "$1"; printf x)" | sed 's/x"$/"/'; else printf '""'; fi; }`,
    `[ -e ${p} ] && cat -- ${p} > "$orig"`,
    'cp -- "$orig" "$tmp"',
    // a last line without newline gets one before anything is added after it (as the module does)
    'nonl=false; [ -s "$tmp" ] && [ -n "$(tail -c 1 "$tmp")" ] && echo >> "$tmp" && nonl=true',
    'changed=false; msg=""; found=0; end_touched=false',
    ...edit,
    // the old last line keeps its missing newline unless the edit touched the end of the file
    'if [ "$changed" = true ] && [ "$nonl" = true ] && [ "$end_touched" = false ]; then truncate -s -1 "$new"; fi',
    'if [ "$changed" = true ]; then',
    context.checkMode ? '  :' : `  cat -- "$new" > ${p} || exit 1`,
    'else',
    '  cp -- "$orig" "$new"',
    'fi',
    `attrs_changed=false; ${context.checkMode || !attrs ? ':' : `out=$( { ${attrs}; } 2>&1 ); case "$out" in *CHANGED*) attrs_changed=true;; esac`}`,
    'if [ "$changed" = false ] && [ "$attrs_changed" = true ]; then changed=true; msg="ownership, perms or SE linux context changed"; fi',
    `printf '{"changed": %s, "msg": %s, "backup": "", "diff": {"before": %s, "after": %s, "before_header": %s, "after_header": %s}${state === 'absent' ? ', "found": %s' : '%s'}}\\n' "$changed" "$(ps_json_str "$msg")" "$(ps_json_exact "$orig")" "$(ps_json_exact "$new")" ${header} ${header} "${state === 'absent' ? '$found' : ''}"`,
  ].join('\n');
}
