/** Shared test plumbing: SSH connections to the private test sshd, unique remote dirs, an event recorder. */
import { randomBytes } from 'node:crypto';
import { SshConnection } from '../../../runtime/connection/ssh';
import type { Connection } from '../../../runtime/connection/types';
import type { RunEvent, RunEventInput } from '../../../runtime/events/types';
import type { ModuleContext } from '../../../runtime/modules/types';
import { EventEmitter } from '../../../runtime/events/emitter';
import { sshd, type SshdInfo } from '../../host/sshd';

export function connect(index = 0, info: SshdInfo = sshd()): SshConnection {
  return new SshConnection({
    name: `h${index + 1}`,
    host: info.hosts[index],
    port: info.port,
    user: info.user,
    keyFiles: [info.privateKey],
    defaultKeyFiles: false,
    knownHostsFiles: [info.knownHosts],
    hostKeyPolicy: 'strict',
    sshConfigFile: false,
    agent: false,
  });
}

/** an absolute async dir under the remote HOME, unique per test (tests run in parallel against one sshd) */
export function uniqueAsyncDir(label: string, info: SshdInfo = sshd()): string {
  return `${info.home}/async-${label}-${randomBytes(4).toString('hex')}`;
}

export function recorder(): { events: RunEvent[]; emit: (e: RunEventInput) => void; emitter: EventEmitter } {
  const events: RunEvent[] = [];
  const emitter = new EventEmitter('test-run', (e) => events.push(e));
  return { events, emit: (e) => void emitter.emit(e), emitter };
}

/** a module script in the shape command's remote script prints: one JSON object on stdout */
export function commandScript(shellLine: string, extra = ''): string {
  return `
start=$(date '+%Y-%m-%d %H:%M:%S.000000')
errfile=$(mktemp) || exit 1
out=$( { ${shellLine} ; } 2>"$errfile" ); rc=$?
err=$(cat "$errfile" 2>/dev/null); rm -f "$errfile"
end=$(date '+%Y-%m-%d %H:%M:%S.000000')
esc() { printf '%s' "$1" | awk 'BEGIN{ORS="";q=sprintf("%c",34);b=sprintf("%c",92)} {if(NR>1)printf "%sn",b; n=length($0); for(i=1;i<=n;i++){c=substr($0,i,1); if(c==q||c==b)printf "%s%s",b,c; else printf "%s",c}}'; }
msg=""; failed=""; [ $rc -ne 0 ] && { msg="non-zero return code"; failed='"failed": true, '; }
printf '{'"$failed"'"changed": true, "stdout": "%s", "stderr": "%s", "rc": %s, "cmd": "%s", "start": "%s", "end": "%s", "delta": "0:00:00.000000", "msg": "%s"${extra}}\\n' "$(esc "$out")" "$(esc "$err")" "$rc" "$(esc ${JSON.stringify(shellLine).replace(/\$/g, '\\$')})" "$start" "$end" "$msg"
`;
}

export async function remote(connection: Connection, command: string): Promise<string> {
  const result = await connection.exec(command);
  return result.stdout;
}

export const sleepMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The context the executor would hand async_status for `jid` (a minimal task: only what the module reads).
 * `keywords` are the task's until-loop keywords as the model holds them; `line` is its 0-based line.
 */
export function asyncStatusContext(
  connection: Connection,
  host: string,
  jid: string,
  asyncDir: string,
  options: { keywords?: Record<string, { value: unknown }>; line?: number; instantJoins?: boolean } = {},
): ModuleContext {
  const line = options.line ?? 0;
  return {
    connection,
    host,
    args: { jid },
    task: { name: 'wait', keywords: options.keywords ?? {}, file: { path: 'p.yml', text: '', position: () => ({ line, character: 0 }) }, span: { start: 0, end: 0 } },
    vars: { ansible_async_dir: asyncDir },
    environment: {},
    checkMode: false,
    diffMode: false,
    coreVersion: '2.14',
    baseDir: '.',
    emit: recorder().emit,
    signal: new AbortController().signal,
    ...(options.instantJoins === undefined ? {} : { instantJoins: options.instantJoins }),
  } as unknown as ModuleContext;
}
