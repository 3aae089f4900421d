/**
 * The persistent watcher behind instant joins, one per host and async dir (bash on the target), fed on its stdin:
 *   "W <jid> <signature>"  watch a job (the signature as in watchScript)
 *   "U <jid>"              stop watching it
 *   "R <n> <mode> <jid>"   read (mode status) or remove (mode cleanup) a status file, like statusScript; the
 *                          answer is "REPLY <n> <bytes>" and then exactly that many bytes of statusScript's output
 *   "J <n> <bytes>"        followed by that many bytes: a job to start here, a first line
 *                          "<jid prefix> <watchdog limit s> <started> <finished> <failed value>" and then the module
 *                          script. The answer is a REPLY whose payload is "0", a newline and the launcher's output
 *                          ("OK", jid, status file; or "ERR" and a message).
 * It prints "READY" once, then "CHANGED <jid>" the moment a watched file differs from its signature (and stops
 * watching that job: the controller re-sends a watch if it keeps waiting). Between checks it waits in bash's
 * `read -t 0.1` on its stdin, so it forks nothing at all and still answers a new watch within one round trip.
 *
 * Jobs started here cost the target two forks of this shell and the module's own work, no new shell: this shell
 * writes the "started" record (jid: the prefix and this shell's pid, as async_wrapper uses its own), then forks the
 * job as a subshell in its own process group by job control (`set -m`, what setsid does for the launcher) and
 * notes its pid in <file>.pid for a kill on cancel; the runner (RUNNER, "stream" mode) is a function; replies
 * come only from this shell, so they never interleave. This loop is every job's watchdog: it kills a job's group
 * when its limit passes, writing async_wrapper's timeout record first. When stdin ends (the controller left or the
 * link dropped) a silent copy of it stays until the last of its jobs has ended or been killed at its limit.
 * Targets without bash >= 4 get "NOBASH" and the caller falls back to the long-poll watcher and exec launches.
 */
import { shellQuote } from '../connection/quote';
import { EXPAND_DIR, RUNNER } from './runner-script';

export function watchStreamScript(): string {
  return `
[ "\${BASH_VERSINFO[0]}" -ge 4 ] 2>/dev/null || { echo NOBASH; exit 0; }
raw_dir=$1
dir=$1
${EXPAND_DIR}
if [ -n "\${LC_ALL+x}" ]; then session_locale="export LC_ALL=$(printf %q "$LC_ALL")"; else session_locale="unset LC_ALL"; fi
export LC_ALL=C # \${#var} counts bytes, read -N reads bytes, EPOCHREALTIME has a dot
declare -A want job_file job_deadline
# a reply written after the controller closed the channel must not kill this shell: it is its jobs' watchdog
trap '' PIPE
partial=
nl=$'\\n'
# milliseconds for deadlines: EPOCHREALTIME (bash 5), else whole seconds, a job's deadline then one second later
if [ -n "\${EPOCHREALTIME:-}" ]; then clock() { now=\${EPOCHREALTIME/./}; now=$((10#$now / 1000)); }; coarse=0
else clock() { now=$((SECONDS * 1000)); }; coarse=1000
fi
ps_runner() {
${RUNNER}
}
# the job, in a subshell: $1 status file, $2 jid, $3 failed value, $4 module script
ps_job() {
  trap '' HUP
  trap - PIPE
  set -- "$1" "$2" "$3" 0 stream "$4" ''
  export ANSIBLE_ASYNC_DIR="$raw_dir"
  eval "$session_locale"
  unset want job_file job_deadline partial line rest n mode content out payload err raw_dir dir session_locale nl coarse now jid f ended
  ps_runner "$@"
}
# the watchdog of every job started here: at its deadline a job still running gets the timeout record and is
# killed. Ended jobs leave scratch files (ps_job_scratch: .in .o .e), removed with one rm once no job of this
# stream runs any more (or many have piled up): jobs of one task tend to end together.
ended=()
supervise() {
  clock
  for pid in "\${!job_file[@]}"; do
    jf=\${job_file[$pid]}
    # the runner is this shell's child: once it has exited (and been reaped) the job is over
    if ! kill -0 "$pid" 2>/dev/null; then
      unset "job_file[$pid]" "job_deadline[$pid]"
      ended+=("$jf.pid" "$jf.in" "$jf.o" "$jf.e")
    elif [ "$now" -ge "\${job_deadline[$pid]}" ]; then
      if [ -e "$jf.out" ]; then
        printf '{"msg": "Timeout exceeded", "failed": true, "child_pid": %s}' "$pid" > "$jf.tmp" && mv -f "$jf.tmp" "$jf"
        kill -KILL -- "-$pid" 2>/dev/null
      fi
      unset "job_file[$pid]" "job_deadline[$pid]"
      ended+=("$jf.out" "$jf.pid" "$jf.in" "$jf.o" "$jf.e")
    fi
  done
  if [ \${#ended[@]} -gt 0 ] && { [ \${#job_file[@]} -eq 0 ] || [ \${#ended[@]} -ge 96 ]; }; then
    rm -f -- "\${ended[@]}"
    ended=()
  fi
}
# scratch files of jobs no longer running (a stream that was killed could not remove them)
stale=()
for x in "$dir"/j*.o "$dir"/j*.e "$dir"/j*.in "$dir"/j*.pid; do
  [ -e "$x" ] && [ ! -e "\${x%.*}.out" ] && stale+=("$x")
done
[ \${#stale[@]} -eq 0 ] || rm -f -- "\${stale[@]}"
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
      'J '*)
        rest=\${line#J }; n=\${rest%% *}; payload=
        IFS= read -r -N "\${rest#* }" payload
        set -f; set -- \${payload%%"$nl"*}; set +f
        # this shell writes the "started" record before the job exists and is the only writer of replies
        jid=$1.$$
        f=$dir/$jid
        if [ ! -d "$dir" ] && ! err=$(mkdir -p -- "$dir" 2>&1); then
          out="0\${nl}ERR\${nl}could not create directory: $dir - $err"
        # <file>.out exists from here until the result is in place: "running", for the watchdog and for kill
        elif ! { printf '{"started": %s, "finished": %s, "ansible_job_id": "%s"}' "$3" "$4" "$jid" > "$f" && : > "$f.out"; } 2>/dev/null; then
          err=$( { : > "$f"; } 2>&1 )
          rm -f -- "$f" "$f.out" 2>/dev/null
          out="0\${nl}ERR\${nl}could not write the job status file $f: \${err:-write failed}"
        else
          clock
          set -m
          ps_job "$f" "$jid" "$5" "\${payload#*"$nl"}" < /dev/null > /dev/null 2>&1 &
          set +m
          job_file[$!]=$f
          job_deadline[$!]=$((now + $2 * 1000 + coarse))
          # the job's process group, for a kill on cancel from another session
          printf '%s' "$!" > "$f.pid"
          disown $! 2>/dev/null
          out="0\${nl}OK\${nl}$jid\${nl}$f"
        fi
        printf 'REPLY %s %s\\n%s' "$n" "\${#out}" "$out" ;;
    esac
  elif [ $? -gt 128 ]; then
    partial=$partial$line
  else
    # stdin ended: the controller is gone. Jobs started here keep their watchdog in a copy of this shell, and this
    # one exits so that sshd frees the session (it holds a session while its first process lives)
    [ \${#job_file[@]} -gt 0 ] || exit 0
    exec > /dev/null 2>&1 < /dev/null
    trap '' HUP PIPE
    # a pipe nobody writes to: read -t on it is a sleep without a fork (sleep(1) otherwise)
    exec {pause}<> <(:) || pause=0
    (
      while [ \${#job_file[@]} -gt 0 ]; do
        read -r -t 1 -u "$pause" || [ $? -gt 128 ] || sleep 1
        supervise
      done
    ) &
    exit 0
  fi
  [ \${#job_file[@]} -eq 0 ] || supervise
  for name in "\${!want[@]}"; do
    if [ -e "$dir/$name" ]; then cur=; read -r cur < "$dir/$name" 2>/dev/null; cur="=$cur"; else cur=-; fi
    if [ "$cur" != "\${want[$name]}" ]; then printf 'CHANGED %s\\n' "$name"; unset "want[$name]"; fi
  done
done
`;
}

/**
 * watchStreamScript under bash, or "NOBASH" where there is none. Given straight to the login shell (sh-compatible,
 * as Ansible assumes too): one shell start fewer than going through `sh -c`.
 */
export function watchStreamCommand(asyncDir: string): string {
  // --norc: a bash whose stdin is sshd's socket would read ~/.bashrc again (the login shell already has)
  return `command -v bash >/dev/null 2>&1 && exec bash --norc -c ${shellQuote(watchStreamScript())} bash ${shellQuote(asyncDir)}; echo NOBASH`;
}
