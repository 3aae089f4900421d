/**
 * POSIX sh helpers that print JSON, for module scripts that run on targets with nothing but a shell and awk
 * (no Python, no jq). Remote scripts define these functions once and then build their result object from them.
 *
 *   ps_json_str VALUE        -> "escaped value"
 *   ps_json_file PATH        -> the file's content as one JSON string (trailing newlines stripped like Ansible)
 *   ps_json_lines_file PATH  -> the file's lines as a JSON array of strings
 *   ps_stamp VAR             -> VAR=local time as YYYY-MM-DD HH:MM:SS.ffffff (Ansible's start/end)
 *
 * Under any sh they use awk and date; under bash >= 5 the same helpers run on builtins alone (no process start),
 * printing the very same bytes.
 */

/**
 * escapes `line` for a JSON string. Backslashes, quotes and control characters go by split and a halving join
 * (portable across mawk, gawk, busybox, unlike gsub with backslashes): O(n log n), where building the result one
 * piece or one character at a time copies it over and over (seconds for a few hundred KiB). NUL becomes \u0000 in
 * awks that keep it in strings (mawk, gawk); esc_nul stays empty in those that cannot.
 */
export const AWK_ESCAPE = String.raw`
function esc_join(parts, lo, hi, sep,    mid) {
  if (lo == hi) return parts[lo]
  mid = int((lo + hi) / 2)
  return esc_join(parts, lo, mid, sep) sep esc_join(parts, mid + 1, hi, sep)
}
function esc(line,    n, parts, c) {
  if (index(line, "\\")) { n = split(line, parts, "\\"); line = esc_join(parts, 1, n, "\\\\") }
  if (index(line, "\"")) { n = split(line, parts, "\""); line = esc_join(parts, 1, n, "\\\"") }
  if (line ~ /[\001-\037]/ || (esc_nul != "" && index(line, esc_nul))) {
    for (c in ctl) if (index(line, c)) { n = split(line, parts, c); line = esc_join(parts, 1, n, ctl[c]) }
  }
  return line
}
function init(    i) {
  for (i = 1; i < 32; i++) ctl[sprintf("%c", i)] = sprintf("\\u%04x", i); ctl["\t"] = "\\t"; ctl["\r"] = "\\r"; ctl["\b"] = "\\b"; ctl["\f"] = "\\f"
  esc_nul = sprintf("%c", 0); if (length(esc_nul) == 1) ctl[esc_nul] = "\\u0000"; else esc_nul = ""
}
`;

/** awk program that turns its whole input into one JSON string literal (bytes >= 0x80 pass through unchanged). */
const AWK_JSON_STRING = AWK_ESCAPE + String.raw`
BEGIN { init(); printf "\"" }
{ printf "%s%s", (NR == 1 ? "" : "\\n"), esc($0) }
END { printf "\"" }
`;

/**
 * the same with trailing empty lines dropped (Ansible strips trailing newlines from stdout/stderr), in one process;
 * printed as it goes, only a count of empty lines is held back
 */
const AWK_JSON_STRING_RSTRIP = AWK_ESCAPE + String.raw`
BEGIN { init(); printf "\""; held = 0; started = 0 }
$0 == "" { held++; next }
{ if (started) held++; for (; held > 0; held--) printf "\\n"; printf "%s", esc($0); started = 1 }
END { printf "\"" }
`;

const AWK_JSON_LINES = AWK_ESCAPE + String.raw`
BEGIN { init(); printf "[" }
{ line = $0; sub(/\r$/, "", line); printf "%s\"%s\"", (NR == 1 ? "" : ", "), esc(line) }
END { printf "]" }
`;

/** quotes `text` for a single-quoted sh word (the closing quote, an escaped quote, and a new opening quote) */
const singleQuoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * The portable definitions: every JSON helper goes through awk, and ps_stamp through date (one process start each).
 * Always defined: under bash they are the fallback for what the fork-free versions cannot do exactly.
 */
const POSIX_FUNCTIONS = [
  `ps_json_str_awk() { printf '%s' "$1" | LC_ALL=C awk ${singleQuoted(AWK_JSON_STRING)}; }`,
  `ps_json_file_awk() { if [ -s "$1" ]; then LC_ALL=C awk ${singleQuoted(AWK_JSON_STRING_RSTRIP)} "$1"; else printf '""'; fi; }`,
  `ps_json_lines_file_awk() { if [ -s "$1" ]; then LC_ALL=C awk ${singleQuoted(AWK_JSON_LINES)} "$1"; else printf '[]'; fi; }`,
  // one fork (date): microseconds cut from %N in the shell; a date without %N gives .000000
  `ps_stamp_date() { ps_t=$(date '+%Y-%m-%d %H:%M:%S.%N'); case $ps_t in *.[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]) ps_t=\${ps_t%???} ;; *.[0-9][0-9][0-9][0-9][0-9][0-9]) ;; *) ps_t=\${ps_t%.*}.000000 ;; esac; eval "$1=\\$ps_t"; }`,
  // awk already drops the final newline (record separator); further empty lines at the end are stripped too
  `ps_json_rstrip() { sed -e ':a' -e 's/\\\\n"$/"/' -e 'ta'; }`,
  'ps_now() { ps_stamp ps_now_t; printf "%s" "$ps_now_t"; }',
  // Ansible's delta H:MM:SS.ffffff between two stamps, in shell arithmetic (no fork); across midnight adds a day
  `ps_delta() { ps_us "\${1#* }"; ps_d=$ps_v; ps_us "\${2#* }"; ps_d=$((ps_v - ps_d)); [ "$ps_d" -ge 0 ] || ps_d=$((ps_d + 86400000000)); ps_m=$((100 + ps_d / 60000000 % 60)) ps_s=$((100 + ps_d / 1000000 % 60)) ps_f=$((1000000 + ps_d % 1000000)); eval "$3=\\$((ps_d / 3600000000)):\\\${ps_m#1}:\\\${ps_s#1}.\\\${ps_f#1}"; }`,
  `ps_us() { ps_h=\${1%%:*} ps_r=\${1#*:}; ps_m=\${ps_r%%:*}; ps_r=\${ps_r#*:}; ps_v=$(( ((1$ps_h - 100) * 3600 + (1$ps_m - 100) * 60 + (1\${ps_r%.*} - 100)) * 1000000 + (1\${ps_r#*.} - 1000000) )); }`,
];

/**
 * the largest value or file (bytes) the bash path escapes itself. Bash's pattern substitution slows down faster than linearly,
 * and past about 16 KiB of escape-heavy text one awk start is cheaper (measured: 16 KiB, a third of it escapes,
 * bash 15 ms, awk 11 ms with its start; 64 KiB: 78 ms against 20 ms; plain text 16 KiB: 2.6 ms against 7.5 ms).
 */
export const BASH_JSON_LIMIT = 16384;

/** each newline stripped in bash copies the text (tens of microseconds at 16 KiB): a longer run of them goes to awk */
export const BASH_JSON_MAX_TRAILING_NEWLINES = 8;

/**
 * Fork-free versions for bash >= 5, where every process start on a small target costs 5-10 ms of CPU.
 * Their output is byte-identical to the awk/date versions: the text is escaped in the C locale (bytes >= 0x80 pass
 * through, as with LC_ALL=C awk) and what bash cannot do exactly or quickly (NUL bytes, values and files over the
 * limit, long runs of trailing newlines, anything but a readable regular file) goes to the awk version. Locals keep a
 * persistent bash's namespace clean.
 * This text is only ever parsed by bash (through eval), so it may use bash syntax; dash sees one quoted word.
 * Written raw (backslashes as bash sees them); `\${` stands for bash's `${`, which a template would interpolate.
 */
const BASH_FUNCTIONS = String.raw`
ps_json_esc() {
  ps_j=\${ps_j//"\\"/"\\\\"}
  ps_j=\${ps_j//'"'/'\"'}
  ps_j=\${ps_j//$'\n'/"$1"}
  ps_j=\${ps_j//$'\t'/'\t'}
  ps_j=\${ps_j//$'\r'/'\r'}
  if [[ $ps_j == *[$'\001'-$'\037']* ]]; then
    local ps_o ps_c ps_e
    for ps_o in 001 002 003 004 005 006 007 010 013 014 016 017 020 021 022 023 024 025 026 027 030 031 032 033 034 035 036 037; do
      printf -v ps_c "\\$ps_o"
      [[ $ps_j == *"$ps_c"* ]] || continue
      case $ps_o in 010) ps_e='\b' ;; 014) ps_e='\f' ;; *) printf -v ps_e '\\u%04x' "$((8#$ps_o))" ;; esac
      ps_j=\${ps_j//"$ps_c"/"$ps_e"}
    done
  fi
}
ps_json_read() {
  [ -f "$1" ] && [ -r "$1" ] && ! IFS= read -r -d '' -n ${BASH_JSON_LIMIT + 1} ps_j < "$1"
}
ps_json_str() {
  local LC_ALL=C ps_j
  ps_j=$1
  if [ \${#ps_j} -gt ${BASH_JSON_LIMIT} ]; then ps_json_str_awk "$1"; return; fi
  ps_j=\${ps_j%$'\n'}
  ps_json_esc '\n'
  printf '"%s"' "$ps_j"
}
ps_json_file() {
  local LC_ALL=C ps_j=
  if ps_json_read "$1"; then
    local ps_n=0
    while [[ $ps_j == *$'\n' ]]; do
      if [ $ps_n -eq ${BASH_JSON_MAX_TRAILING_NEWLINES} ]; then ps_json_file_awk "$1"; return; fi
      ps_j=\${ps_j%$'\n'} ps_n=$((ps_n + 1))
    done
    ps_json_esc '\n'
    printf '"%s"' "$ps_j"
  else
    ps_json_file_awk "$1"
  fi
}
ps_json_lines_file() {
  local LC_ALL=C ps_j=
  if ps_json_read "$1"; then
    if [ -z "$ps_j" ]; then printf '[]'; return 0; fi
    ps_j=\${ps_j%$'\n'}
    ps_j=\${ps_j//$'\r\n'/$'\n'}
    ps_j=\${ps_j%$'\r'}
    ps_json_esc '", "'
    printf '["%s"]' "$ps_j"
  else
    ps_json_lines_file_awk "$1"
  fi
}
ps_stamp() {
  local ps_stamp_e=$EPOCHREALTIME ps_stamp_s
  printf -v ps_stamp_s '%(%Y-%m-%d %H:%M:%S)T' "\${ps_stamp_e%%[!0-9]*}"
  printf -v "$1" '%s.%s' "$ps_stamp_s" "\${ps_stamp_e##*[!0-9]}"
}
`.replace(/\\\$\{/g, '${');

/**
 * Picks the definitions at run time: bash >= 5 ($EPOCHREALTIME exists) gets the fork-free ones, any other sh the
 * portable ones. Both branches are valid POSIX sh, so dash parses the whole text.
 */
const PICK_FUNCTIONS = [
  'if [ -n "${EPOCHREALTIME:-}" ] && case ${BASH_VERSION:-} in [5-9].* | [1-9][0-9]*) true ;; *) false ;; esac; then',
  `  eval ${singleQuoted(BASH_FUNCTIONS)}`,
  'else',
  '  ps_json_str() { ps_json_str_awk "$1"; }',
  '  ps_json_file() { ps_json_file_awk "$1"; }',
  '  ps_json_lines_file() { ps_json_lines_file_awk "$1"; }',
  '  ps_stamp() { ps_stamp_date "$1"; }',
  'fi',
];

/** sh function definitions; prepend to any script that uses them */
export const SH_JSON_FUNCTIONS = [...POSIX_FUNCTIONS, ...PICK_FUNCTIONS].join('\n');
