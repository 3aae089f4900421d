/**
 * The job wrapper that runs on the target, shared by both ways of starting a job: `sh -c` from the launcher (a
 * new exec; its own watchdog) and a function in the host's watch stream (bash; the stream is the watchdog).
 */

/** Expands a leading `~` with the remote $HOME, as async_wrapper's os.path.expanduser does. */
export const EXPAND_DIR = `case $dir in '~') dir=$HOME ;; '~/'*) dir=$HOME/\${dir#'~/'} ;; esac`;

/**
 * The detached job: $1 status file, $2 jid, $3 value of "failed" in a failure record, $4 watchdog limit in
 * seconds, $5 "group" or "tree" (how the watchdog kills) or "stream", $6 the module script, $7 a private tmp dir
 * holding module.sh instead (large scripts; empty otherwise). It leads its own process group (setsid, or the
 * stream's job control) so the watchdog can kill everything the module started, as async_wrapper's setpgid does.
 *
 * "stream": it runs as a function in a subshell of the host's watch stream (bash). There is no watchdog here: the
 * stream keeps every deadline of the jobs it started, and outlives its channel until they end. The module runs
 * in the command substitution's own subshell (bash in POSIX mode) instead of a new sh.
 *
 * Forks are what a job costs a busy target (several ms each), so the common path has four: the watchdog, its
 * sleep, the module's shell and the final `mv` (in the stream: the module's subshell and the `mv`). The module's stdout goes to <file>.out, which exists exactly
 * while the module runs (the watchdog's "still running" test), and is renamed over <file> when it holds the
 * JSON result (async_wrapper's jwrite: a reader never sees half a file). Its stderr is kept in a variable for
 * the failure record.
 *
 * The watchdog is a child of this shell: the same 5 s steps as async_wrapper (first sleep 5, then {sleep 5;
 * check}), so the kill lands at 5*(1+ceil(async/5)) s (the caller passes that number). The record is written
 * before the kill, like async_wrapper's.
 */
export const RUNNER = `
trap '' HUP
umask 022
f=$1 jid=$2 failed=$3 limit=$4 how=$5 tmp=$7
if [ "$how" != stream ]; then (
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
fi
if [ -n "$tmp" ]; then
  err=$( { sh "$tmp/module.sh" > "$f.out" < /dev/null; } 2>&1 )
elif [ "$how" = stream ]; then
  # the module sees none of the wrapper's variables or arguments, as it would in a shell of its own
  ps_job_script=$6 ps_job_scratch=$f
  err=$( { unset f jid failed limit how tmp; set --; set -o posix; eval "$ps_job_script"; } < /dev/null 2>&1 > "$f.out" )
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

