/**
 * get_url and uri with the target's curl (or wget for get_url): one sh script that prints the result JSON,
 * so both also run as async jobs. URLs, headers and bodies reach curl as quoted arguments or files.
 */
import { shellQuote } from '../connection/quote';
import type { TaskResult } from '../events/types';
import { bool, num, runRemoteScript, str } from './common';
import { SH_JSON_FUNCTIONS } from './sh/json';
import type { ModuleContext, ModuleImplementation } from './types';

function failureScript(result: TaskResult): string {
  return `printf '%s\\n' ${shellQuote(JSON.stringify(result))}`;
}

function headerArgs(headers: unknown): string {
  if (!headers || typeof headers !== 'object') return '';
  return Object.entries(headers as Record<string, unknown>).map(([k, v]) => ` -H ${shellQuote(`${k}: ${String(v)}`)}`).join('');
}

function getUrlScript(context: ModuleContext): string {
  const a = context.args;
  const url = str(a, 'url');
  const dest = str(a, 'dest');
  if (!url || !dest) return failureScript({ failed: true, changed: false, msg: `missing required arguments: ${[!url && 'url', !dest && 'dest'].filter(Boolean).join(', ')}` });
  const force = bool(a, 'force', false);
  const timeout = num(a, 'timeout', 10);
  const checksum = str(a, 'checksum') ?? '';
  const [algo, expected] = checksum.includes(':') ? checksum.split(':', 2) : ['', ''];
  if (algo && !['sha1', 'sha256', 'sha512', 'md5', 'sha224', 'sha384'].includes(algo)) return failureScript({ failed: true, changed: false, msg: `unsupported hash algorithm: ${algo}` });
  const mode = a.mode !== undefined && a.mode !== null ? String(a.mode) : '';
  const validateCerts = bool(a, 'validate_certs', true);
  return [
    SH_JSON_FUNCTIONS,
    `url=${shellQuote(url)}; dest=${shellQuote(dest)}; algo=${shellQuote(algo)}; expected=${shellQuote(expected.toLowerCase())}`,
    `case "$dest" in */) dest="$dest$(basename "$url")";; esac`,
    `if [ -d "$dest" ]; then dest="$dest/$(basename "$url")"; fi`,
    `sum_of() { if [ -n "$algo" ]; then "\${algo}sum" -- "$1" | cut -d' ' -f1; else sha1sum -- "$1" | cut -d' ' -f1; fi; }`,
    `if [ -f "$dest" ] && { [ ${force ? 1 : 0} = 0 ] || { [ -n "$expected" ] && [ "$(sum_of "$dest")" = "$expected" ]; }; } && { [ -z "$expected" ] || [ "$(sum_of "$dest")" = "$expected" ]; }; then`,
    `  printf '{"changed": false, "dest": %s, "url": %s, "msg": "file already exists", "checksum_src": null, "checksum_dest": "%s", "status_code": null}\\n' "$(ps_json_str "$dest")" "$(ps_json_str "$url")" "$(sha1sum -- "$dest" | cut -d' ' -f1)"; exit 0`,
    `fi`,
    `dir=$(dirname -- "$dest"); if [ ! -d "$dir" ]; then printf '{"failed": true, "changed": false, "msg": %s, "dest": %s, "url": %s}\\n' "$(ps_json_str "Destination $dir does not exist")" "$(ps_json_str "$dest")" "$(ps_json_str "$url")"; exit 0; fi`,
    `tmp="$dest.ps-download.$$"; err="$tmp.err"; start=$(date +%s)`,
    `if command -v curl >/dev/null 2>&1; then code=$(curl -sS -L ${validateCerts ? '' : '-k '}--max-time ${Math.max(1, Math.trunc(timeout))}${headerArgs(a.headers)} -o "$tmp" -w '%{http_code}' -- "$url" 2>"$err"); rc=$?`,
    `elif command -v wget >/dev/null 2>&1; then wget -q ${validateCerts ? '' : '--no-check-certificate '}-T ${Math.max(1, Math.trunc(timeout))} -O "$tmp" -- "$url" 2>"$err"; rc=$?; if [ $rc = 0 ]; then code=200; else code=0; fi`,
    `else printf '{"failed": true, "changed": false, "msg": "get_url needs curl or wget on the target"}\\n'; exit 0; fi`,
    `elapsed=$(( $(date +%s) - start ))`,
    `if [ "$rc" != 0 ] || [ "\${code:-0}" -ge 400 ] || [ "\${code:-0}" = 000 ]; then msg="Request failed"; [ -s "$err" ] && msg="Request failed: $(head -c 500 "$err")"; [ "\${code:-0}" -ge 400 ] && msg="Request failed: HTTP Error $code"; rm -f "$tmp" "$err"; printf '{"failed": true, "changed": false, "dest": %s, "url": %s, "msg": %s, "status_code": %s, "elapsed": %s}\\n' "$(ps_json_str "$dest")" "$(ps_json_str "$url")" "$(ps_json_str "$msg")" "\${code:-0}" "$elapsed"; exit 0; fi`,
    `rm -f "$err"`,
    `if [ -n "$expected" ] && [ "$(sum_of "$tmp")" != "$expected" ]; then got=$(sum_of "$tmp"); rm -f "$tmp"; printf '{"failed": true, "changed": false, "dest": %s, "url": %s, "msg": %s}\\n' "$(ps_json_str "$dest")" "$(ps_json_str "$url")" "$(ps_json_str "The checksum for $dest did not match $expected; it was $got.")"; exit 0; fi`,
    `new=$(sha1sum -- "$tmp" | cut -d' ' -f1); old=""; [ -f "$dest" ] && old=$(sha1sum -- "$dest" | cut -d' ' -f1)`,
    `if [ "$new" = "$old" ]; then rm -f "$tmp"; changed=false; else mv -f -- "$tmp" "$dest"; changed=true; fi`,
    mode ? `chmod ${shellQuote(mode)} -- "$dest"` : ':',
    `size=$(wc -c < "$dest" | tr -d ' ')`,
    `printf '{"changed": %s, "dest": %s, "url": %s, "msg": "OK (%s bytes)", "status_code": %s, "checksum_src": "%s", "checksum_dest": "%s", "size": %s, "elapsed": %s, "state": "file", "mode": "%s"}\\n' "$changed" "$(ps_json_str "$dest")" "$(ps_json_str "$url")" "$size" "\${code:-200}" "$new" "$new" "$size" "$elapsed" "$(stat -c %a -- "$dest" | sed 's/^/0/; s/^0\\(....\\)$/\\1/')"`,
  ].join('\n');
}

function uriScript(context: ModuleContext): string {
  const a = context.args;
  const url = str(a, 'url');
  if (!url) return failureScript({ failed: true, changed: false, msg: 'missing required arguments: url' });
  const method = (str(a, 'method') ?? 'GET').toUpperCase();
  const bodyFormat = str(a, 'body_format') ?? 'raw';
  const statusCodes = (Array.isArray(a.status_code) ? a.status_code : [a.status_code ?? 200]).map((c) => Number(c));
  const returnContent = bool(a, 'return_content', false);
  const timeout = num(a, 'timeout', 30);
  let body: string | undefined;
  let contentType: string | undefined;
  if (a.body !== undefined && a.body !== null) {
    if (bodyFormat === 'json') {
      body = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
      contentType = 'application/json';
    } else if (bodyFormat === 'form-urlencoded') {
      body = typeof a.body === 'object' ? new URLSearchParams(Object.entries(a.body as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)])).toString() : String(a.body);
      contentType = 'application/x-www-form-urlencoded';
    } else body = String(a.body);
  }
  const headers = { ...(contentType ? { 'Content-Type': contentType } : {}), ...((a.headers as Record<string, unknown>) ?? {}) };
  const dest = str(a, 'dest');
  return [
    SH_JSON_FUNCTIONS,
    `url=${shellQuote(url)}; tmp=$(mktemp -d "\${TMPDIR:-/tmp}/ps-uri.XXXXXX") || exit 1; trap 'rm -rf "$tmp"' EXIT`,
    body !== undefined ? `printf '%s' ${shellQuote(body)} > "$tmp/body"` : ':',
    `if ! command -v curl >/dev/null 2>&1; then printf '{"failed": true, "changed": false, "msg": "uri needs curl on the target"}\\n'; exit 0; fi`,
    `start=$(date +%s)`,
    `code=$(curl -sS ${bool(a, 'validate_certs', true) ? '' : '-k '}${bool(a, 'follow_redirects', true) && str(a, 'follow_redirects') !== 'none' ? '-L ' : ''}--max-time ${Math.max(1, Math.trunc(timeout))} -X ${shellQuote(method)}${headerArgs(headers)}${body !== undefined ? ' --data-binary @"$tmp/body"' : ''} -D "$tmp/headers" -o "$tmp/out" -w '%{http_code}' -- "$url" 2>"$tmp/err"); rc=$?`,
    `elapsed=$(( $(date +%s) - start ))`,
    `if [ "$rc" != 0 ]; then printf '{"failed": true, "changed": false, "status": -1, "url": %s, "msg": %s, "elapsed": %s}\\n' "$(ps_json_str "$url")" "$(ps_json_str "Status code was -1 and not [${statusCodes.join(', ')}]: Request failed: $(head -c 300 "$tmp/err")")" "$elapsed"; exit 0; fi`,
    dest ? `cp -f -- "$tmp/out" ${shellQuote(dest)}` : ':',
    `ctype=$(awk 'BEGIN { IGNORECASE = 1 } tolower($1) == "content-type:" { sub(/\\r$/, ""); $1 = ""; sub(/^ /, ""); v = $0 } END { print v }' "$tmp/headers")`,
    `len=$(wc -c < "$tmp/out" | tr -d ' ')`,
    `ok=false; for c in ${statusCodes.join(' ')}; do [ "$code" = "$c" ] && ok=true; done`,
    `if [ "$ok" = true ]; then failed=false; msg="OK ($len bytes)"; else failed=true; msg="Status code was $code and not [${statusCodes.join(', ')}]: HTTP Error $code"; fi`,
    `content=""; if ${returnContent ? 'true' : '[ "$failed" = true ]'}; then content=", \\"content\\": $(ps_json_file "$tmp/out")"; case "$ctype" in *json*) [ -s "$tmp/out" ] && content="$content, \\"json\\": $(cat "$tmp/out")";; esac; fi`,
    `printf '{"changed": false, "failed": %s, "status": %s, "url": %s, "msg": %s, "content_type": %s, "content_length": %s, "elapsed": %s, "redirected": false%s}\\n' "$failed" "$code" "$(ps_json_str "$url")" "$(ps_json_str "$msg")" "$(ps_json_str "$ctype")" "$len" "$elapsed" "$content"`,
  ].join('\n');
}


export const getUrlModule: ModuleImplementation = {
  name: 'get_url',
  run: (context) => runRemoteScript(context, getUrlScript),
  remoteScript: getUrlScript,
};

export const uriModule: ModuleImplementation = {
  name: 'uri',
  run: (context) => runRemoteScript(context, uriScript),
  remoteScript: uriScript,
};
