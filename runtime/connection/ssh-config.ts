/**
 * The subset of OpenSSH's client configuration (`~/.ssh/config`) we honour: `Host` blocks with patterns
 * (`*`, `?`, `!negation`, several per line), `HostName` (with `%h`), `User`, `Port`, `IdentityFile` (`~`, `%d`,
 * `%u`, `%h`, `%r`; several accumulate), `ProxyJump`. As in OpenSSH the first value obtained for a keyword wins.
 * `Match` blocks are skipped (their conditions need a shell); other keywords are ignored.
 */
import { readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { matchPatternList } from './known-hosts';

export interface SshConfigBlock {
  /** patterns of the `Host` line; empty for the lines before the first `Host` (they apply to every host) */
  patterns: string[];
  /** `Match` blocks never apply */
  isMatch: boolean;
  options: Array<{ key: string; value: string; line: number }>;
}

export interface SshHostConfig {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  proxyJump?: string;
}

export class SshConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = 'SshConfigError';
  }
}

export function defaultSshConfigPath(): string {
  return join(homedir(), '.ssh', 'config');
}

/** Splits a config line into keyword and value; `Key=Value` and quoted values are allowed. */
function splitLine(line: string): [string, string] | undefined {
  const match = /^\s*([A-Za-z]+)\s*(?:=\s*|\s+)(.*?)\s*$/.exec(line);
  if (!match) return undefined;
  return [match[1].toLowerCase(), match[2]];
}

function unquote(value: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value))) words.push(m[1] ?? m[2]);
  return words;
}

export function parseSshConfig(text: string, file: string): SshConfigBlock[] {
  const blocks: SshConfigBlock[] = [{ patterns: [], isMatch: false, options: [] }];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const parts = splitLine(line);
    if (!parts) throw new SshConfigError(file, index + 1, `cannot parse "${raw.trim()}": expected "Keyword value"`);
    const [key, value] = parts;
    if (key === 'host') {
      const patterns = unquote(value);
      if (patterns.length === 0) throw new SshConfigError(file, index + 1, 'Host needs at least one pattern');
      blocks.push({ patterns, isMatch: false, options: [] });
    } else if (key === 'match') {
      blocks.push({ patterns: [], isMatch: true, options: [] });
    } else {
      blocks[blocks.length - 1].options.push({ key, value, line: index + 1 });
    }
  });
  return blocks;
}

function blockApplies(block: SshConfigBlock, host: string): boolean {
  if (block.isMatch) return false;
  if (block.patterns.length === 0) return true;
  // one Host line with several patterns: any positive match, and no negated match
  return matchPatternList(block.patterns.join(','), host);
}

function expandTokens(value: string, host: string, originalHost: string, user: string | undefined): string {
  return value.replace(/%([%dhnru])/g, (_, token: string) => {
    switch (token) {
      case '%':
        return '%';
      case 'd':
        return homedir();
      case 'h':
        return host;
      case 'n':
        return originalHost;
      case 'r':
        return user ?? userInfo().username;
      case 'u':
        return userInfo().username;
      default:
        return '';
    }
  });
}

function expandTilde(path: string): string {
  return path === '~' ? homedir() : path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
}

/** Settings for `host` (the name given on the command line, i.e. ansible_host or the inventory name). */
export function lookupSshConfig(blocks: SshConfigBlock[], host: string, file = 'ssh config'): SshHostConfig {
  const result: SshHostConfig = { identityFiles: [] };
  const rawIdentity: string[] = [];
  for (const block of blocks) {
    if (!blockApplies(block, host)) continue;
    for (const { key, value, line } of block.options) {
      const first = unquote(value)[0] ?? '';
      switch (key) {
        case 'hostname':
          result.hostName ??= first;
          break;
        case 'user':
          result.user ??= first;
          break;
        case 'port': {
          if (result.port !== undefined) break;
          const port = Number(first);
          if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SshConfigError(file, line, `Port "${first}" is not a port number`);
          result.port = port;
          break;
        }
        case 'identityfile':
          rawIdentity.push(first);
          break;
        case 'proxyjump':
          result.proxyJump ??= first;
          break;
      }
    }
  }
  if (result.hostName !== undefined) result.hostName = expandTokens(result.hostName, host, host, result.user);
  const effectiveHost = result.hostName ?? host;
  result.identityFiles = rawIdentity.map((path) => expandTilde(expandTokens(path, effectiveHost, host, result.user)));
  if (result.proxyJump?.toLowerCase() === 'none') result.proxyJump = undefined;
  return result;
}

/** Reads and looks up `host` in the config file; a missing file means no settings. */
export function readSshConfig(path: string, host: string): SshHostConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { identityFiles: [] };
    throw error;
  }
  return lookupSshConfig(parseSshConfig(text, path), host, path);
}

export interface JumpHost {
  user?: string;
  host: string;
  port?: number;
}

/** Parses a ProxyJump value `[user@]host[:port][,...]` into hops, first hop first. */
export function parseProxyJump(value: string): JumpHost[] {
  return value.split(',').map((hop) => {
    const text = hop.trim().replace(/^ssh:\/\//, '');
    const at = text.lastIndexOf('@');
    const user = at >= 0 ? text.slice(0, at) : undefined;
    let rest = at >= 0 ? text.slice(at + 1) : text;
    let port: number | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
    if (bracketed) {
      rest = bracketed[1];
      port = bracketed[2] ? Number(bracketed[2]) : undefined;
    } else {
      const colon = /^([^:]+):(\d+)$/.exec(rest);
      if (colon) {
        rest = colon[1];
        port = Number(colon[2]);
      }
    }
    if (rest === '') throw new Error(`ProxyJump "${value}": empty host in "${hop}"`);
    return { user, host: rest, port };
  });
}
