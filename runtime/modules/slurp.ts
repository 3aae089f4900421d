/**
 * slurp: a remote file's bytes as base64 (`content`, `source`, `encoding: base64`), with the 2.14 module's
 * failure messages. One sh script (base64(1), or openssl as a fallback), so it also runs as an async job.
 */
import { printResultScript, remotePathWord, runRemoteScript, str } from './common';
import { SH_JSON_FUNCTIONS } from './sh/json';
import type { ModuleContext, ModuleImplementation } from './types';

function slurpScript(context: ModuleContext): string {
  const src = str(context.args, 'src') ?? str(context.args, 'path');
  if (src === undefined) return printResultScript({ failed: true, changed: false, msg: 'missing required arguments: src' });
  const fail = (message: string) => `printf '{"failed": true, "changed": false, "msg": %s}\\n' "$(ps_json_str "${message}$p")"; exit 0`;
  return [
    SH_JSON_FUNCTIONS,
    `p=${remotePathWord(src)}`,
    `if [ -d "$p" ]; then ${fail('source is a directory and must be a file: ')}; fi`,
    `if [ ! -e "$p" ]; then ${fail('file not found: ')}; fi`,
    `if [ ! -r "$p" ]; then ${fail('file is not readable: ')}; fi`,
    // base64 wraps lines; Ansible's content is one unbroken string
    `if command -v base64 >/dev/null 2>&1; then data=$(base64 < "$p" | tr -d '\\n'); else data=$(openssl base64 -A < "$p"); fi || { ${fail('unable to slurp file: ')}; }`,
    `printf '{"changed": false, "content": "%s", "encoding": "base64", "source": %s}\\n' "$data" "$(ps_json_str "$p")"`,
  ].join('\n');
}

export const slurpModule: ModuleImplementation = {
  name: 'slurp',
  run: (context) => runRemoteScript(context, slurpScript),
  remoteScript: slurpScript,
};
