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
 * The detached job: $1 status file, $2 jid, $3 value of "failed" in a failure record, $4 watchdog limit in
 * seconds, $5 "group" or "tree" (how the watchdog kills), $6 the module script, $7 a private tmp dir holding
 * module.sh instead (large scripts; empty otherwise). It leads its own process group (setsid) so the watchdog can
 * kill everything the module started, as async_wrapper's setpgid does.
 *
 * Forks are what a job costs a busy target (several ms each), so the common path has four: the watchdog, its
 * sleep, the module's shell and the final `mv`. The module's stdout goes to <file>.out, which exists exactly
 * while the module runs (the watchdog's "still running" test), and is renamed over <file> when it holds the
 * JSON result (async_wrapper's jwrite: a reader never sees half a file). Its stderr is kept in a variable for
 * the failure record.
 *
 * The watchdog is a child of this shell: the same 5 s steps as async_wrapper (first sleep 5, then {sleep 5;
 * check}), so the kill lands at 5*(1+ceil(async/5)) s (the caller passes that number). The record is written
 * before the kill, like async_wrapper's.
 */
const RUNNER = `
trap '' HUP
umask 022
f=$1 jid=$2 failed=$3 limit=$4 how=$5 tmp=$7
(
  trap '' HUP
  kill_tree() {
    [ "$1" = "$self" ] && return
    kill -STOP "$1" 2>/dev/null
    for c in $(ps -eo pid=,ppid= 2>/dev/null | awk -v p="$1" '$2 == p { print $1 }'); do kill_tree "$c"; done
    kill -KILL "$1" 2>/dev/null
  }
  sleep 5
  elapsed=5
  while [ -e "$f.out" ] && kill -0 $$ 2>/dev/null; do
    sleep 5
    elapsed=$((elapsed + 5))
    if [ "$elapsed" -ge "$limit" ] && [ -e "$f.out" ]; then
      printf '{"msg": "Timeout exceeded", "failed": true, "child_pid": %s}' $$ > "$f.tmp" && mv -f "$f.tmp" "$f"
      rm -rf "$f.out" \${tmp:+"$tmp"}
      if [ "$how" = group ]; then kill -KILL -- -$$ 2>/dev/null && exit 0; fi
      self=$(sh -c 'echo $PPID')
      kill_tree $$
      exit 0
    fi
  done
) < /dev/null > /dev/null 2>&1 &
if [ -n "$tmp" ]; then
  err=$( { sh "$tmp/module.sh" > "$f.out" < /dev/null; } 2>&1 )
else
  err=$( { sh -c "$6" > "$f.out" < /dev/null; } 2>&1 )
fi
rc=$?
first=
read -r first < "$f.out" 2>/dev/null
case $first in
'{'*) mv -f "$f.out" "$f" ;;
*)
  # async_wrapper's _filter_non_json_lines: from the first line starting with "{" to the last ending with "}"
  if awk '{ l[NR] = $0 } END {
      s = 0; for (i = 1; i <= NR; i++) { t = l[i]; sub(/^[ \\t]+/, "", t); if (substr(t, 1, 1) == "{") { s = i; break } }
      if (!s) exit 1
      e = 0; for (i = NR; i >= s; i--) { t = l[i]; sub(/[ \\t\\r]+$/, "", t); if (substr(t, length(t), 1) == "}") { e = i; break } }
      if (!e) exit 1
      for (i = s; i <= e; i++) print l[i] }' "$f.out" > "$f.tmp"; then
    mv -f "$f.tmp" "$f"
  else
    jstr() { tr -d '\\000-\\010\\013\\014\\016-\\037' | awk 'BEGIN { ORS = ""; q = sprintf("%c", 34); b = sprintf("%c", 92); printf "%s", q }
      { if (NR > 1) printf "%sn", b
        n = length($0)
        for (i = 1; i <= n; i++) {
          c = substr($0, i, 1)
          if (c == q || c == b) printf "%s%s", b, c; else if (c == "\\t") printf "%st", b; else if (c == "\\r") printf "%sr", b; else printf "%s", c
        } }
      END { printf "%s", q }'; }
    { printf '{"failed": %s, "cmd": "%s", "data": ' "$failed" "$f.module"
      jstr < "$f.out"; printf ', "stderr": '; printf '%s' "$err" | jstr
      printf ', "msg": "the module printed no JSON result (exit status %s)", "ansible_job_id": "%s"}' "$rc" "$jid"
    } > "$f.tmp" && mv -f "$f.tmp" "$f"
  fi
  rm -f "$f.out"
  ;;
esac
[ -z "$tmp" ] || rm -rf "$tmp"
`;

/**
 * The launcher: one exec that creates the job and returns at once. Positional parameters:
 * $1 jid prefix (j + digits), $2 async dir as configured (may start with ~), $3 watchdog limit in seconds,
 * $4 "started" value, $5 "finished" value, $6 "failed" value for failure records, $7 "1" to act as if setsid
 * were missing, $8 the module script (with its environment prelude), or empty to read it from stdin (scripts
 * too large for a command line).
 * Prints "OK", the jid and the status file path on three lines, or "ERR" and a message.
 */
export function launcherScript(): string {
  // Forks are what a launch costs on a busy target, so the common path has one (setsid) besides the exec itself:
  // the "started" record is written in place (a reader that catches the file empty takes the job as running, as
  // async_status does), and errors are captured only when a step has already failed, by repeating it.
  return `
dir=$2
${EXPAND_DIR}
fail() { printf 'ERR\\n%s\\n' "$1"; exit 0; }
export ANSIBLE_ASYNC_DIR="$2"
[ -d "$dir" ] || mkdir -p -- "$dir" 2>/dev/null || { err=$(mkdir -p -- "$dir" 2>&1); fail "could not create directory: $dir - $err"; }
jid=$1.$$
f=$dir/$jid
if ! { printf '{"started": %s, "finished": %s, "ansible_job_id": "%s"}' "$4" "$5" "$jid" > "$f"; } 2>/dev/null; then
  err=$( { : > "$f"; } 2>&1 )
  fail "could not write the job status file $f: \${err:-write failed}"
fi
tmp=
if [ -z "$8" ]; then
  umask 077 # the runner sets async_wrapper's 022 again for what it writes
  tmp=\${TMPDIR:-/tmp}/playbook-studio-async.$jid
  # mkdir fails on anything already there (a symlink planted in a shared /tmp included)
  mkdir "$tmp" 2>/dev/null || { rm -f "$f"; fail "could not create a private temporary directory $tmp"; }
  cat > "$tmp/module.sh" || { rm -rf "$tmp" "$f"; fail "could not store the job script in $tmp"; }
fi
runner=${shellQuote(RUNNER)}
if [ "$7" != 1 ] && command -v setsid >/dev/null 2>&1; then
  setsid sh -c "$runner" sh "$f" "$jid" "$6" "$3" group "$8" "$tmp" < /dev/null > /dev/null 2>&1 &
else
  (trap '' HUP; exec sh -c "$runner" sh "$f" "$jid" "$6" "$3" tree "$8" "$tmp") < /dev/null > /dev/null 2>&1 &
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
 * The persistent watcher behind instant joins, one per host and async dir, fed on its stdin:
 *   "W <jid> <signature>"  watch a job (the signature as in watchScript)
 *   "U <jid>"              stop watching it
 *   "R <n> <mode> <jid>"   read (mode status) or remove (mode cleanup) a status file, like statusScript; the
 *                          answer is "REPLY <n> <bytes>" and then exactly that many bytes of statusScript's output
 *   "L <n> <bytes>"        followed by that many bytes: a launcher command line (shCommand of launcherScript) to
 *                          run here instead of in a new exec; the answer is a REPLY whose payload is its exit
 *                          status, a newline and its stdout. It runs with the session's own LC_ALL, not ours.
 * It prints "READY" once, then "CHANGED <jid>" the moment a watched file differs from its signature (and stops
 * watching that job: the controller re-sends a watch if it keeps waiting). Between checks it waits in bash's
 * `read -t 0.1` on its stdin, so it forks nothing at all and still answers a new watch within one round trip.
 * When its channel closes, stdin ends and it exits. Targets without bash >= 4 get "NOBASH" and the caller falls
 * back to the long-poll watcher.
 */
export function watchStreamScript(): string {
  return `
[ "\${BASH_VERSINFO[0]}" -ge 4 ] 2>/dev/null || { echo NOBASH; exit 0; }
dir=$1
${EXPAND_DIR}
if [ -n "\${LC_ALL+x}" ]; then session_locale="export LC_ALL=$(printf %q "$LC_ALL")"; else session_locale="unset LC_ALL"; fi
export LC_ALL=C # \${#var} counts bytes, read -N reads bytes
declare -A want
partial=
nl=$'\\n'
printf 'READY\\n'
while :; do
  line=
  if IFS= read -r -t 0.1 line; then
    line=$partial$line
    partial=
    case $line in
      'W '*) rest=\${line#W }; want[\${rest%% *}]=\${rest#* } ;;
      'U '*) unset "want[\${line#U }]" ;;
      'R '*)
        rest=\${line#R }; n=\${rest%% *}; rest=\${rest#* }; mode=\${rest%% *}; f=$dir/\${rest#* }
        out="DIR $dir$nl"
        if [ ! -e "$f" ]; then out="\${out}MISSING$nl"
        elif [ "$mode" = cleanup ]; then
          if err=$(rm -f -- "$f" 2>&1); then out="\${out}ERASED$nl"; else out="\${out}ERROR $err$nl"; fi
        else content=; IFS= read -r -d '' content < "$f" 2>/dev/null; out="\${out}CONTENT$nl$content"
        fi
        printf 'REPLY %s %s\\n%s' "$n" "\${#out}" "$out" ;;
      'L '*)
        rest=\${line#L }; n=\${rest%% *}; payload=
        IFS= read -r -N "\${rest#* }" payload
        out=$(eval "$session_locale"; eval "$payload" < /dev/null 2>/dev/null)
        out="$?$nl$out"
        printf 'REPLY %s %s\\n%s' "$n" "\${#out}" "$out" ;;
    esac
  elif [ $? -gt 128 ]; then
    partial=$partial$line
  else
    exit 0
  fi
  for name in "\${!want[@]}"; do
    if [ -e "$dir/$name" ]; then cur=; read -r cur < "$dir/$name" 2>/dev/null; cur="=$cur"; else cur=-; fi
    if [ "$cur" != "\${want[$name]}" ]; then printf 'CHANGED %s\\n' "$name"; unset "want[$name]"; fi
  done
done
`;
}

/** watchStreamScript under bash, or "NOBASH" from sh where there is none. */
export function watchStreamCommand(asyncDir: string): string {
  const start = `command -v bash >/dev/null 2>&1 || { echo NOBASH; exit 0; }
script=$1
shift
exec bash -c "$script" bash "$@"`;
  return shCommand(start, [watchStreamScript(), asyncDir]);
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
# the runner and its watchdog (a forked copy) share these arguments: the runner is the older, lower pid
pid=$(ps -eo pid=,args= 2>/dev/null | awk -v needle=" $f $2 " 'index($0, needle) > 0 && $2 == "sh" && (min == "" || $1 + 0 < min) { min = $1 + 0 } END { if (min != "") print min }')
if [ -z "$pid" ]; then echo NOTRUNNING; exit 0; fi
kill_tree() {
  kill -STOP "$1" 2>/dev/null
  for c in $(ps -eo pid=,ppid= 2>/dev/null | awk -v p="$1" '$2 == p { print $1 }'); do kill_tree "$c"; done
  kill -KILL "$1" 2>/dev/null
}
printf '{"msg": "Job killed on cancel", "failed": true, "child_pid": %s}' "$pid" > "$f.tmp" && mv -f "$f.tmp" "$f"
rm -f "$f.out"
kill -KILL -- "-$pid" 2>/dev/null || kill_tree "$pid"
printf 'KILLED %s\\n' "$pid"
`;
}

/** `sh -c <script> sh <args...>` with every piece quoted. */
export function shCommand(script: string, args: readonly (string | number)[]): string {
  return ['sh', '-c', script, 'sh', ...args.map(String)].map(shellQuote).join(' ');
}
