/**
 * The POSIX sh that runs on the target: the job wrapper (launcher, runner, watchdog), the status reader used by
 * async_status and the poll loop, and the long-poll watcher behind instant joins. No Python is needed on the
 * target; only sh, mkdir, mv, rm, cat, ls, awk, sleep (and setsid or ps when available).
 *
 * Every value that varies reaches these scripts as a positional parameter (quoted by the caller) or on stdin,
 * never by pasting it into the script text, so nothing a user writes can change what the shell runs.
 */
import { shellQuote } from '../connection/quote';

/** Expands a leading `~` with the remote $HOME, as async_wrapper's os.path.expanduser does. */
const EXPAND_DIR = `case $dir in '~') dir=$HOME ;; '~/'*) dir=$HOME/\${dir#'~/'} ;; esac`;

/**
 * Runs the module script detached: $1 tmp dir, $2 status file, $3 jid, $4 value of "failed" in a failure record.
 * Its own process group (setsid) so the watchdog can kill everything the module started, as async_wrapper's
 * setpgid does. The result is written to <file>.tmp and renamed over <file> (async_wrapper's jwrite), so a
 * reader never sees half a file.
 */
const RUNNER = `
echo $$ > "$1/pid"
trap '' HUP
umask 022
tmp=$1 f=$2 jid=$3 failed=$4
sh "$tmp/module.sh" > "$tmp/out" 2> "$tmp/err" < /dev/null
rc=$?
# async_wrapper's _filter_non_json_lines: from the first line starting with "{" to the last ending with "}"
if awk '{ l[NR] = $0 } END {
    s = 0; for (i = 1; i <= NR; i++) { t = l[i]; sub(/^[ \\t]+/, "", t); if (substr(t, 1, 1) == "{") { s = i; break } }
    if (!s) exit 1
    e = 0; for (i = NR; i >= s; i--) { t = l[i]; sub(/[ \\t\\r]+$/, "", t); if (substr(t, length(t), 1) == "}") { e = i; break } }
    if (!e) exit 1
    for (i = s; i <= e; i++) print l[i] }' "$tmp/out" > "$f.tmp"; then
  mv -f "$f.tmp" "$f"
else
  jstr() { tr -d '\\000-\\010\\013\\014\\016-\\037' < "$1" | awk 'BEGIN { ORS = ""; q = sprintf("%c", 34); b = sprintf("%c", 92); printf "%s", q }
    { if (NR > 1) printf "%sn", b
      n = length($0)
      for (i = 1; i <= n; i++) {
        c = substr($0, i, 1)
        if (c == q || c == b) printf "%s%s", b, c; else if (c == "\\t") printf "%st", b; else if (c == "\\r") printf "%sr", b; else printf "%s", c
      } }
    END { printf "%s", q }'; }
  { printf '{"failed": %s, "cmd": "%s", "data": ' "$failed" "$tmp/module.sh"
    jstr "$tmp/out"; printf ', "stderr": '; jstr "$tmp/err"
    printf ', "msg": "the module printed no JSON result (exit status %s)", "ansible_job_id": "%s"}' "$rc" "$jid"
  } > "$f.tmp" && mv -f "$f.tmp" "$f"
fi
`;

/**
 * Kills the job at the limit: $1 runner pid ($! of the launcher), $2 tmp dir, $3 status file, $4 seconds,
 * $5 "group" or "tree". The same 5 s steps as async_wrapper (first sleep 5, then {sleep 5; check}), so the kill
 * lands at 5*(1+ceil(async/5)) s (the caller passes that number) and a hundred idle watchdogs cost the target
 * twenty forks a second. The record is written before the kill, like async_wrapper's.
 */
const WATCHDOG = `
trap '' HUP
umask 022
pid=$1 tmp=$2 f=$3 limit=$4 how=$5
n=0
while [ ! -s "$tmp/pid" ] && [ $n -lt 50 ]; do sleep 0.1 2>/dev/null || sleep 1; n=$((n + 1)); done
[ -s "$tmp/pid" ] && pid=$(cat "$tmp/pid")
kill_tree() {
  kill -STOP "$1" 2>/dev/null
  for c in $(ps -eo pid=,ppid= 2>/dev/null | awk -v p="$1" '$2 == p { print $1 }'); do kill_tree "$c"; done
  kill -KILL "$1" 2>/dev/null
}
sleep 5
elapsed=5
while kill -0 "$pid" 2>/dev/null; do
  sleep 5
  elapsed=$((elapsed + 5))
  if [ "$elapsed" -ge "$limit" ] && kill -0 "$pid" 2>/dev/null; then
    printf '{"msg": "Timeout exceeded", "failed": true, "child_pid": %s}' "$pid" > "$f.tmp" && mv -f "$f.tmp" "$f"
    if [ "$how" = group ]; then kill -KILL -- "-$pid" 2>/dev/null || kill_tree "$pid"; else kill_tree "$pid"; fi
    break
  fi
done
rm -rf "$tmp"
`;

/**
 * The launcher: one exec that creates the job and returns at once. Positional parameters:
 * $1 jid prefix (j + digits), $2 async dir as configured (may start with ~), $3 watchdog limit in seconds,
 * $4 "started" value, $5 "finished" value, $6 "failed" value for failure records, $7 "1" to act as if setsid
 * were missing. stdin: the module script (with its environment prelude).
 * Prints "OK", the jid and the status file path on three lines, or "ERR" and a message.
 */
export function launcherScript(): string {
  // Forks are what a launch costs on a busy target, so the common path avoids command substitutions: errors
  // are captured only when a step has already failed, by repeating it.
  return `
dir=$2
${EXPAND_DIR}
fail() { printf 'ERR\\n%s\\n' "$1"; exit 0; }
export ANSIBLE_ASYNC_DIR="$2"
[ -d "$dir" ] || mkdir -p -- "$dir" 2>/dev/null || { err=$(mkdir -p -- "$dir" 2>&1); fail "could not create directory: $dir - $err"; }
jid=$1.$$
f=$dir/$jid
if ! { printf '{"started": %s, "finished": %s, "ansible_job_id": "%s"}' "$4" "$5" "$jid" > "$f.tmp" && mv -f "$f.tmp" "$f"; } 2>/dev/null; then
  err=$( { : > "$f.tmp"; } 2>&1 )
  rm -f "$f.tmp" 2>/dev/null
  fail "could not write the job status file $f: \${err:-rename failed}"
fi
base=\${TMPDIR:-/tmp}
umask 077 # the runner and the watchdog set async_wrapper's 022 again for what they write
tmp=$base/playbook-studio-async.$jid
# mkdir fails on anything already there (a symlink planted in a shared /tmp included)
mkdir "$tmp" 2>/dev/null || { rm -f "$f"; fail "could not create a private temporary directory $tmp"; }
cat > "$tmp/module.sh" || { rm -rf "$tmp" "$f"; fail "could not store the job script in $tmp"; }
runner=${shellQuote(RUNNER)}
watchdog=${shellQuote(WATCHDOG)}
if [ "$7" != 1 ] && command -v setsid >/dev/null 2>&1; then
  setsid sh -c "$runner" sh "$tmp" "$f" "$jid" "$6" < /dev/null > /dev/null 2>&1 &
  pid=$!
  setsid sh -c "$watchdog" sh "$pid" "$tmp" "$f" "$3" group < /dev/null > /dev/null 2>&1 &
else
  (trap '' HUP; exec sh -c "$runner" sh "$tmp" "$f" "$jid" "$6") < /dev/null > /dev/null 2>&1 &
  pid=$!
  (trap '' HUP; exec sh -c "$watchdog" sh "$pid" "$tmp" "$f" "$3" tree) < /dev/null > /dev/null 2>&1 &
fi
printf 'OK\\n%s\\n%s\\n' "$jid" "$f"
`;
}

/**
 * Reads (or, in cleanup mode, removes) a status file: $1 async dir, $2 jid, $3 mode.
 * Prints "DIR <expanded dir>", then "MISSING", "ERASED", "ERROR <msg>" or "CONTENT" and the file's bytes.
 */
export function statusScript(): string {
  return `
dir=$1
${EXPAND_DIR}
f=$dir/$2
printf 'DIR %s\\n' "$dir"
if [ ! -e "$f" ]; then echo MISSING; exit 0; fi
if [ "$3" = cleanup ]; then
  if err=$(rm -f -- "$f" 2>&1); then echo ERASED; else printf 'ERROR %s\\n' "$err"; fi
  exit 0
fi
echo CONTENT
cat -- "$f" 2>/dev/null
exit 0
`;
}

/**
 * Long-poll watcher: $1 async dir, $2 maximum iterations (100 ms each); stdin: one line per waiting job,
 * "<jid> <signature>", the signature being "=" + the first line of the status file as last read ("-" when it
 * was missing). Returns as soon as any file differs from its signature (compared here, on the target, so the
 * answer is never older than the question) or when the time is up, printing "CURRENT" and the changed jids.
 * The loop reads files with the `read` builtin: its only fork is `sleep`, so twenty idle hosts cost the target
 * little. A dot every second makes it die of SIGPIPE soon after its channel closes.
 */
export function watchScript(): string {
  return `
pairs=$(cat)
dir=$1
${EXPAND_DIR}
i=0
while :; do
  changed=
  while read -r name want; do
    [ -n "$name" ] || continue
    if [ -e "$dir/$name" ]; then cur=; read -r cur < "$dir/$name" 2>/dev/null; cur="=$cur"; else cur=-; fi
    [ "$cur" = "$want" ] || changed="$changed $name"
  done <<EOF_PAIRS
$pairs
EOF_PAIRS
  if [ -n "$changed" ] || [ $i -ge "$2" ]; then
    printf '\\nCURRENT\\n'
    for name in $changed; do printf '%s\\n' "$name"; done
    exit 0
  fi
  i=$((i + 1))
  [ $((i % 10)) -eq 0 ] && printf .
  sleep 0.1 2>/dev/null || sleep 1
done
`;
}

/**
 * Kills a job on cancel (--kill-jobs-on-cancel; Ansible itself never kills): $1 async dir, $2 jid. Finds the
 * runner by its arguments (" <status file> <jid> "), writes a final record like the watchdog's so every reader
 * sees the job end, then SIGKILLs the runner's process group (or its process tree without setsid). The
 * watchdog notices and removes the job's tmp dir. Prints "KILLED <pid>" or "NOTRUNNING".
 */
export function killScript(): string {
  return `
dir=$1
${EXPAND_DIR}
f=$dir/$2
pid=$(ps -eo pid=,args= 2>/dev/null | awk -v needle=" $f $2 " 'index($0, needle) > 0 && $2 == "sh" { print $1; exit }')
if [ -z "$pid" ]; then echo NOTRUNNING; exit 0; fi
kill_tree() {
  kill -STOP "$1" 2>/dev/null
  for c in $(ps -eo pid=,ppid= 2>/dev/null | awk -v p="$1" '$2 == p { print $1 }'); do kill_tree "$c"; done
  kill -KILL "$1" 2>/dev/null
}
printf '{"msg": "Job killed on cancel", "failed": true, "child_pid": %s}' "$pid" > "$f.tmp" && mv -f "$f.tmp" "$f"
kill -KILL -- "-$pid" 2>/dev/null || kill_tree "$pid"
printf 'KILLED %s\\n' "$pid"
`;
}

/** `sh -c <script> sh <args...>` with every piece quoted. */
export function shCommand(script: string, args: readonly (string | number)[]): string {
  return ['sh', '-c', script, 'sh', ...args.map(String)].map(shellQuote).join(' ');
}
