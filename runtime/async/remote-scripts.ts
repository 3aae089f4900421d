/**
 * The POSIX sh that runs on the target: the launcher (its runner and watchdog are in runner-script.ts), the
 * status reader used by async_status and the poll loop, the long-poll watcher behind instant joins (the
 * persistent one is in stream-script.ts) and the kill on cancel. No Python is needed on the
 * target; only sh, mkdir, mv, rm, cat, ls, awk, sleep (and setsid or ps when available).
 *
 * Every value that varies reaches these scripts as a positional parameter (quoted by the caller) or on stdin,
 * never by pasting it into the script text, so nothing a user writes can change what the shell runs.
 */
import { shellQuote } from '../connection/quote';
import { EXPAND_DIR, RUNNER } from './runner-script';

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
if [ -z "$pid" ] && [ -e "$f.out" ] && [ -r "$f.pid" ]; then
  # started by a watch stream, which noted the job's pid: it leads the job's process group
  read -r pid < "$f.pid"
  case $pid in ''|*[!0-9]*) pid= ;; *) set -- $(ps -o pgid= -p "$pid" 2>/dev/null); [ "\${1:-}" = "$pid" ] || pid= ;; esac
fi
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
