/**
 * POSIX sh helpers that print JSON, for module scripts that run on targets with nothing but a shell and awk
 * (no Python, no jq). Remote scripts define these functions once and then build their result object from them.
 *
 *   ps_json_str VALUE        -> "escaped value"
 *   ps_json_file PATH        -> the file's content as one JSON string (trailing newlines stripped like Ansible)
 *   ps_json_lines_file PATH  -> the file's lines as a JSON array of strings
 */

/** escapes `line` for a JSON string: backslashes and quotes by split/join (portable across mawk, gawk, busybox) */
const AWK_ESCAPE = String.raw`
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

const AWK_JSON_LINES = AWK_ESCAPE + String.raw`
BEGIN { init(); printf "[" }
{ line = $0; sub(/\r$/, "", line); printf "%s\"%s\"", (NR == 1 ? "" : ", "), esc(line) }
END { printf "]" }
`;

/** sh function definitions; prepend to any script that uses them */
export const SH_JSON_FUNCTIONS = [
  `ps_json_str() { printf '%s' "$1" | LC_ALL=C awk '${AWK_JSON_STRING.replace(/'/g, `'\\''`)}'; }`,
  `ps_json_file() { if [ -s "$1" ]; then LC_ALL=C awk '${AWK_JSON_STRING.replace(/'/g, `'\\''`)}' "$1" | ps_json_rstrip; else printf '""'; fi; }`,
  // awk already drops the final newline (record separator); further empty lines at the end are stripped too
  `ps_json_rstrip() { sed -e ':a' -e 's/\\\\n"$/"/' -e 'ta'; }`,
  `ps_json_lines_file() { if [ -s "$1" ]; then LC_ALL=C awk '${AWK_JSON_LINES.replace(/'/g, `'\\''`)}' "$1"; else printf '[]'; fi; }`,
  `ps_now() { date '+%Y-%m-%d %H:%M:%S.%N' | sed 's/\\.N$/.000000/; s/\\.\\([0-9]\\{6\\}\\)[0-9]*$/.\\1/'; }`,
].join('\n');
