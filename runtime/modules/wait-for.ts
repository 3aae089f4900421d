/**
 * wait_for: a port to open/close, a file to appear (optionally containing search_regex) or disappear, or
 * just a delay. Runs as one sh loop on the target (sleep 1 between checks), so it also works as an async job.
 */
import { shellQuote } from '../connection/quote';
import { num, runRemoteScript, str } from './common';
import { SH_JSON_FUNCTIONS } from './sh/json';
import type { ModuleContext, ModuleImplementation } from './types';

const DEFAULT_STATES = ['ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'SYN_RECV', 'SYN_SENT', 'TIME_WAIT'];

function moduleArgs(context: ModuleContext) {
  const a = context.args;
  return {
    active_connection_states: a.active_connection_states ?? DEFAULT_STATES,
    connect_timeout: num(a, 'connect_timeout', 5),
    delay: num(a, 'delay', 0),
    exclude_hosts: a.exclude_hosts ?? null,
    host: str(a, 'host') ?? '127.0.0.1',
    msg: a.msg ?? null,
    path: str(a, 'path') ?? null,
    port: a.port === undefined || a.port === null ? null : num(a, 'port', 0),
    search_regex: str(a, 'search_regex') ?? null,
    sleep: num(a, 'sleep', 1),
    state: str(a, 'state') ?? 'started',
    timeout: num(a, 'timeout', 300),
  };
}

function script(context: ModuleContext): string {
  const m = moduleArgs(context);
  const states = ['started', 'stopped', 'present', 'absent', 'drained'];
  if (!states.includes(m.state)) return `printf '%s\\n' ${shellQuote(JSON.stringify({ failed: true, changed: false, msg: `value of state must be one of: ${states.join(', ')}, got: ${m.state}` }))}`;
  if (m.path && m.port !== null) return `printf '%s\\n' ${shellQuote(JSON.stringify({ failed: true, changed: false, msg: 'port and path parameter can not both be passed to wait_for' }))}`;
  const invocation = JSON.stringify({ module_args: m });
  const want = m.state === 'absent' || m.state === 'stopped' ? 'gone' : 'there';
  let check: string;
  let timeoutMsg: string;
  if (m.path) {
    check =
      want === 'there'
        ? m.search_regex
          ? `[ -f "$p" ] && grep -E -q -- ${shellQuote(m.search_regex)} "$p" 2>/dev/null`
          : `[ -e "$p" ]`
        : `[ ! -e "$p" ]`;
    timeoutMsg = want === 'there' ? (m.search_regex ? `Timeout when waiting for search string ${m.search_regex} in ${m.path}` : `Timeout when waiting for file ${m.path}`) : `Timeout when waiting for ${m.path} to be absent.`;
  } else if (m.port !== null) {
    const probe = `ps_port_open`;
    check = want === 'there' ? probe : `! ${probe}`;
    timeoutMsg = want === 'there' ? `Timeout when waiting for ${m.host}:${m.port}` : `Timeout when waiting for ${m.host}:${m.port} to stop.`;
  } else {
    check = 'false';
    timeoutMsg = '';
  }
  const finalMsg = m.msg !== null ? String(m.msg) : timeoutMsg;
  const delayOnly = !m.path && m.port === null;
  return [
    SH_JSON_FUNCTIONS,
    `p=${shellQuote(m.path ?? '')}; h=${shellQuote(m.host)}; port=${shellQuote(String(m.port ?? ''))}; ct=${Math.max(1, Math.trunc(m.connect_timeout))}`,
    // a port probe with whatever the target has: nc, bash's /dev/tcp, or python
    `ps_port_open() { if command -v nc >/dev/null 2>&1; then nc -z -w "$ct" "$h" "$port" >/dev/null 2>&1; elif command -v bash >/dev/null 2>&1; then timeout "$ct" bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$h" "$port" >/dev/null 2>&1; else return 1; fi; }`,
    `start=$(date +%s); sleep ${Math.max(0, Math.trunc(m.delay))}`,
    delayOnly
      ? `sleep ${Math.max(0, Math.trunc(m.timeout))}; ok=1`
      : `ok=0; while :; do if ${check}; then ok=1; break; fi; now=$(date +%s); if [ $((now - start)) -ge ${Math.trunc(m.timeout)} ]; then break; fi; sleep ${Math.max(1, Math.trunc(m.sleep))}; done`,
    `elapsed=$(( $(date +%s) - start ))`,
    `if [ "$ok" = 1 ]; then`,
    m.path && want === 'there'
      ? `  own=$(ls -ldn -- "$p" 2>/dev/null | awk '{print $3" "$4}'); uid=\${own% *}; gid=\${own#* }; mode=$(stat -c %a -- "$p" 2>/dev/null); sz=$(wc -c < "$p" 2>/dev/null | tr -d ' '); printf '{"changed": false, "elapsed": %s, "path": %s, "port": null, "search_regex": %s, "state": %s, "match_groupdict": {}, "match_groups": [], "uid": %s, "gid": %s, "owner": %s, "group": %s, "mode": "0%s", "size": %s, "invocation": %s}\\n' "$elapsed" "$(ps_json_str "$p")" ${shellQuote(JSON.stringify(m.search_regex))} ${shellQuote(JSON.stringify(m.state))} "\${uid:-0}" "\${gid:-0}" "$(ps_json_str "$(id -nu "$uid" 2>/dev/null || echo "$uid")")" "$(ps_json_str "$(getent group "$gid" 2>/dev/null | cut -d: -f1)")" "$mode" "\${sz:-0}" ${shellQuote(invocation)}`
      : `  printf '{"changed": false, "elapsed": %s, "path": %s, "port": %s, "search_regex": %s, "state": %s, "match_groupdict": {}, "match_groups": [], "invocation": %s}\\n' "$elapsed" ${shellQuote(JSON.stringify(m.path))} ${shellQuote(JSON.stringify(m.port))} ${shellQuote(JSON.stringify(m.search_regex))} ${shellQuote(JSON.stringify(m.state))} ${shellQuote(invocation)}`,
    `else`,
    `  printf '{"changed": false, "failed": true, "elapsed": %s, "msg": %s, "invocation": %s}\\n' "$elapsed" ${shellQuote(JSON.stringify(finalMsg))} ${shellQuote(invocation)}`,
    `fi`,
  ].join('\n');
}

export const waitForModule: ModuleImplementation = {
  name: 'wait_for',
  run: (context) => runRemoteScript(context, script),
  remoteScript: script,
};
