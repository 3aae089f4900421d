/**
 * Host key verification against OpenSSH known_hosts files. A key that differs from a recorded one is always refused
 * (HostKeyMismatchError names both fingerprints); an unknown key is handled by the policy: `strict` refuses,
 * `accept-new` (the default, as OpenSSH's StrictHostKeyChecking=accept-new) records it, `prompt` asks a callback
 * that the CLI or the extension implements.
 *
 * Supported entry forms: plain names and patterns (`*`, `?`, `!negation`, comma lists), `[host]:port`, hashed
 * `|1|salt|hash` entries and the `@revoked` marker. `@cert-authority` lines are ignored: certificates are not
 * supported, so such a host falls back to plain keys.
 */
import { createHash, createHmac } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { HostKeyMismatchError, UnreachableError } from './types';

export type HostKeyPolicy = 'strict' | 'accept-new' | 'prompt';

/** Asked for an unknown key under the `prompt` policy; resolve true to trust (and record) it. */
export type HostKeyPrompt = (host: string, port: number, keyType: string, fingerprint: string) => Promise<boolean>;

export interface KnownHostsEntry {
  file: string;
  line: number;
  marker?: 'revoked' | 'cert-authority';
  /** the raw host field: patterns, `[host]:port`, or a hashed `|1|salt|hash` */
  hosts: string;
  keyType: string;
  /** raw key blob (decoded base64) */
  key: Buffer;
}

/** OpenSSH's fingerprint form: `SHA256:` + unpadded base64 of the key blob's SHA-256. */
export function fingerprintOf(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

/** The key type is the first length-prefixed string inside an SSH public key blob. */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  if (len <= 0 || 4 + len > keyBlob.length) return 'unknown';
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

/** The name known_hosts records for a host: bare on port 22, otherwise `[host]:port`. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function parseKnownHosts(text: string, file: string): KnownHostsEntry[] {
  const entries: KnownHostsEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostsEntry['marker'];
    if (fields[0].startsWith('@')) {
      const name = fields.shift()!.slice(1);
      if (name !== 'revoked' && name !== 'cert-authority') return; // unknown marker: OpenSSH skips the line too
      marker = name;
    }
    if (fields.length < 3) return;
    const [hosts, keyType, keyBase64] = fields;
    const key = Buffer.from(keyBase64, 'base64');
    if (key.length === 0) return;
    entries.push({ file, line: index + 1, marker, hosts, keyType, key });
  });
  return entries;
}

/** Shell-style glob of OpenSSH host patterns: `*` any run, `?` one character; case-insensitive. */
function globMatch(pattern: string, name: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(name);
}

/**
 * Whether a comma-separated OpenSSH pattern list matches `name`. A matching negated pattern (`!pat`) vetoes the
 * whole list, as in OpenSSH's match_hostname.
 */
export function matchPatternList(list: string, name: string): boolean {
  let matched = false;
  for (const item of list.split(',')) {
    if (item === '') continue;
    if (item.startsWith('!')) {
      if (globMatch(item.slice(1), name)) return false;
    } else if (globMatch(item, name)) {
      matched = true;
    }
  }
  return matched;
}

function hostFieldMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt64, hash64] = hosts.split('|');
    if (!salt64 || !hash64) return false;
    const digest = createHmac('sha1', Buffer.from(salt64, 'base64')).update(name).digest('base64');
    return digest === hash64;
  }
  return matchPatternList(hosts, name);
}

export interface HostKeyVerifierOptions {
  /** known_hosts files to read; the first one is where accepted keys are appended */
  knownHostsFiles: string[];
  policy?: HostKeyPolicy;
  prompt?: HostKeyPrompt;
}

export type HostKeyVerdict =
  | { kind: 'match'; fingerprint: string }
  | { kind: 'unknown'; keyType: string; fingerprint: string }
  | { kind: 'mismatch'; expected: string[]; fingerprint: string }
  | { kind: 'revoked'; fingerprint: string; entry: KnownHostsEntry };

/**
 * Judges a presented key against the entries for host:port. Entries of another key type count as a mismatch:
 * the host is known and this key is not one of its keys (stricter than OpenSSH, which would ask; we never
 * silently accept a key for a known host).
 */
export function judgeHostKey(entries: KnownHostsEntry[], host: string, port: number, keyBlob: Buffer): HostKeyVerdict {
  const name = knownHostsName(host, port);
  const fingerprint = fingerprintOf(keyBlob);
  const forHost = entries.filter((entry) => hostFieldMatches(entry.hosts, name));
  const revoked = forHost.find((entry) => entry.marker === 'revoked' && entry.key.equals(keyBlob));
  if (revoked) return { kind: 'revoked', fingerprint, entry: revoked };
  const plain = forHost.filter((entry) => entry.marker === undefined);
  if (plain.some((entry) => entry.key.equals(keyBlob))) return { kind: 'match', fingerprint };
  if (plain.length > 0) {
    const expected = [...new Set(plain.map((entry) => `${entry.keyType} ${fingerprintOf(entry.key)} (${entry.file}:${entry.line})`))];
    return { kind: 'mismatch', expected, fingerprint };
  }
  return { kind: 'unknown', keyType: keyTypeOf(keyBlob), fingerprint };
}

async function readEntries(files: string[]): Promise<KnownHostsEntry[]> {
  const all: KnownHostsEntry[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    all.push(...parseKnownHosts(text, file));
  }
  return all;
}

/** ssh2's default host key algorithm order (ssh2 1.17 with Ed25519 support). */
const DEFAULT_HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

function algorithmsForKeyType(keyType: string): string[] {
  if (keyType === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  if (keyType === 'ssh-dss') return ['ssh-dss'];
  return DEFAULT_HOST_KEY_ALGORITHMS.includes(keyType) ? [keyType] : [];
}

/**
 * Host key algorithms with the types known_hosts already has for host:port first, as OpenSSH orders them:
 * a server with several host keys then presents the one we can check instead of one we would have to refuse.
 */
export async function preferredHostKeyAlgorithms(files: string[], host: string, port: number): Promise<string[]> {
  const name = knownHostsName(host, port);
  const known = (await readEntries(files)).filter((entry) => entry.marker === undefined && hostFieldMatches(entry.hosts, name)).map((entry) => entry.keyType);
  const first = [...new Set(known.flatMap(algorithmsForKeyType))];
  return [...first, ...DEFAULT_HOST_KEY_ALGORITHMS.filter((algorithm) => !first.includes(algorithm))];
}

/** Appends writes one at a time so parallel first connections to many hosts do not interleave lines. */
let appendChain: Promise<void> = Promise.resolve();

export function appendKnownHost(file: string, host: string, port: number, keyBlob: Buffer): Promise<void> {
  const line = `${knownHostsName(host, port)} ${keyTypeOf(keyBlob)} ${keyBlob.toString('base64')}\n`;
  const next = appendChain.then(async () => {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await appendFile(file, line, { mode: 0o600 });
  });
  appendChain = next.catch(() => undefined);
  return next;
}

/**
 * Verifies `keyBlob` for host:port; resolves when trusted, rejects with HostKeyMismatchError or UnreachableError
 * otherwise.
 */
export async function verifyHostKey(options: HostKeyVerifierOptions, host: string, port: number, keyBlob: Buffer): Promise<string> {
  const policy = options.policy ?? 'accept-new';
  const verdict = judgeHostKey(await readEntries(options.knownHostsFiles), host, port, keyBlob);
  switch (verdict.kind) {
    case 'match':
      return verdict.fingerprint;
    case 'mismatch':
      throw new HostKeyMismatchError(host, verdict.expected, verdict.fingerprint);
    case 'revoked':
      throw new UnreachableError(host, `Failed to connect to the host via ssh: host key ${verdict.fingerprint} for ${knownHostsName(host, port)} is marked as revoked in ${verdict.entry.file}:${verdict.entry.line}; refusing to connect.`);
    case 'unknown': {
      const where = options.knownHostsFiles.join(', ') || '(no known_hosts file configured)';
      let trusted = false;
      if (policy === 'accept-new') trusted = true;
      else if (policy === 'prompt') {
        if (!options.prompt) throw new UnreachableError(host, `Failed to connect to the host via ssh: no host key is known for ${knownHostsName(host, port)} (${verdict.keyType} ${verdict.fingerprint}) and no prompt is available to confirm it; add it to ${where}.`);
        trusted = await options.prompt(host, port, verdict.keyType, verdict.fingerprint);
        if (!trusted) throw new UnreachableError(host, `Failed to connect to the host via ssh: host key ${verdict.keyType} ${verdict.fingerprint} for ${knownHostsName(host, port)} was not accepted.`);
      }
      if (!trusted) {
        throw new UnreachableError(host, `Failed to connect to the host via ssh: no host key is known for ${knownHostsName(host, port)} and the host key policy is strict; the host presented ${verdict.keyType} ${verdict.fingerprint}. Add it to ${where} (for example with ssh-keyscan) after checking the fingerprint.`);
      }
      if (options.knownHostsFiles.length > 0) await appendKnownHost(options.knownHostsFiles[0], host, port, keyBlob);
      return verdict.fingerprint;
    }
  }
}
