/**
 * POSIX sh helpers that print JSON, for module scripts that run on targets with nothing but a shell and awk
 * (no Python, no jq). Remote scripts define these functions once and then build their result object from them.
 *
 *   ps_json_str VALUE        -> "escaped value"
 *   ps_json_file PATH        -> the file's content as one JSON string (trailing newlines stripped like Ansible)
 *   ps_json_lines_file PATH  -> the file's lines as a JSON array of strings
 */

/** escapes `line` for a JSON string: backslashes and quotes by split/join (portable across mawk, gawk, busybox) */
export const AWK_ESCAPE = String.raw`
function esc(line,    n, parts, i, out, c) {
  n = split(line, parts, "\\"); out = parts[1]; for (i = 2; i <= n; i++) out = out "\\\\" parts[i]; line = out
  n = split(line, parts, "\""); out = parts[1]; for (i = 2; i <= n; i++) out = out "\\\"" parts[i]; line = out
  if (line ~ /[\001-\037]/) {
    out = ""; n = length(line)
    for (i = 1; i <= n; i++) { c = substr(line, i, 1); out = out ((c in ctl) ? ctl[c] : c) }
    line = out
  }
  return line
}
function init(    i) { for (i = 1; i < 32; i++) ctl[sprintf("%c", i)] = sprintf("\\u%04x", i); ctl["\t"] = "\\t"; ctl["\r"] = "\\r"; ctl["\b"] = "\\b"; ctl["\f"] = "\\f" }
`;

/** awk program that turns its whole input into one JSON string literal (bytes >= 0x80 pass through unchanged). */
const AWK_JSON_STRING = AWK_ESCAPE + String.raw`
BEGIN { init(); out = "" }
{ line = esc($0); out = (NR == 1) ? line : out "\\n" line }
END { printf "\"%s\"", out }
`;

/** the same with trailing empty lines dropped (Ansible strips trailing newlines from stdout/stderr), in one process */
const AWK_JSON_STRING_RSTRIP = AWK_ESCAPE + String.raw`
BEGIN { init(); out = ""; held = ""; started = 0 }
$0 == "" { held = held "\\n"; next }
{ line = esc($0); out = started ? out held "\\n" line : held line; started = 1; held = "" }
END { printf "\"%s\"", out }
`;

const AWK_JSON_LINES = AWK_ESCAPE + String.raw`
BEGIN { init(); printf "[" }
{ line = $0; sub(/\r$/, "", line); printf "%s\"%s\"", (NR == 1 ? "" : ", "), esc(line) }
END { printf "]" }
`;

/** sh function definitions; prepend to any script that uses them */
export const SH_JSON_FUNCTIONS = [
  `ps_json_str() { printf '%s' "$1" | LC_ALL=C awk '${AWK_JSON_STRING.replace(/'/g, `'\\''`)}'; }`,
  `ps_json_file() { if [ -s "$1" ]; then LC_ALL=C awk '${AWK_JSON_STRING_RSTRIP.replace(/'/g, `'\\''`)}' "$1"; else printf '""'; fi; }`,
  // awk already drops the final newline (record separator); further empty lines at the end are stripped too
  `ps_json_rstrip() { sed -e ':a' -e 's/\\\\n"$/"/' -e 'ta'; }`,
  `ps_json_lines_file() { if [ -s "$1" ]; then LC_ALL=C awk '${AWK_JSON_LINES.replace(/'/g, `'\\''`)}' "$1"; else printf '[]'; fi; }`,
  // one fork (date): microseconds cut from %N in the shell; a date without %N gives .000000
  `ps_stamp() { ps_t=$(date '+%Y-%m-%d %H:%M:%S.%N'); case $ps_t in *.[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]) ps_t=\${ps_t%???} ;; *.[0-9][0-9][0-9][0-9][0-9][0-9]) ;; *) ps_t=\${ps_t%.*}.000000 ;; esac; eval "$1=\\$ps_t"; }`,
  'ps_now() { ps_stamp ps_now_t; printf "%s" "$ps_now_t"; }',
  // Ansible's delta H:MM:SS.ffffff between two stamps, in shell arithmetic (no fork); across midnight adds a day
  `ps_delta() { ps_us "\${1#* }"; ps_d=$ps_v; ps_us "\${2#* }"; ps_d=$((ps_v - ps_d)); [ "$ps_d" -ge 0 ] || ps_d=$((ps_d + 86400000000)); ps_m=$((100 + ps_d / 60000000 % 60)) ps_s=$((100 + ps_d / 1000000 % 60)) ps_f=$((1000000 + ps_d % 1000000)); eval "$3=\\$((ps_d / 3600000000)):\\\${ps_m#1}:\\\${ps_s#1}.\\\${ps_f#1}"; }`,
  `ps_us() { ps_h=\${1%%:*} ps_r=\${1#*:}; ps_m=\${ps_r%%:*}; ps_r=\${ps_r#*:}; ps_v=$(( ((1$ps_h - 100) * 3600 + (1$ps_m - 100) * 60 + (1\${ps_r%.*} - 100)) * 1000000 + (1\${ps_r#*.} - 1000000) )); }`,
].join('\n');
