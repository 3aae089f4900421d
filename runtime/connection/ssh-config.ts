/**
 * The subset of OpenSSH's client configuration (`~/.ssh/config`) we honour: `Host` blocks with patterns
 * (`*`, `?`, `!negation`, several per line), `HostName` (with `%h`), `User`, `Port`, `IdentityFile` (`~`, `%d`,
 * `%u`, `%h`, `%r`; several accumulate), `ProxyJump`, `UserKnownHostsFile`, `StrictHostKeyChecking` and `Include`
 * (globs in the last path component; relative paths from the including file's folder; inside a Host block the
 * included lines apply only to that block's hosts). As in OpenSSH the first value obtained for a keyword wins.
 * `Match` blocks are skipped (their conditions need a shell); other keywords are ignored.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { matchPatternList } from './known-hosts';

export interface SshConfigBlock {
  /** patterns of the `Host` line; empty for the lines before the first `Host` (they apply to every host) */
  patterns: string[];
  /** `Match` blocks never apply */
  isMatch: boolean;
  /** for blocks from an Include inside a Host block: that block's patterns must match too */
  guard?: string[];
  options: Array<{ key: string; value: string; line: number }>;
}

export interface SshHostConfig {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  proxyJump?: string;
  knownHostsFiles?: string[];
  strictHostKeyChecking?: 'strict' | 'accept-new' | 'prompt';
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

/** Files an Include pattern names: `~` expanded, relative to the including file, `*`/`?` in the last component. */
function includeFiles(pattern: string, fromFile: string): string[] {
  const expanded = expandTilde(pattern);
  const path = isAbsolute(expanded) ? expanded : join(dirname(fromFile), expanded);
  const name = basename(path);
  if (!/[*?]/.test(name)) return [path];
  const re = new RegExp('^' + name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  try {
    return readdirSync(dirname(path))
      .filter((entry) => re.test(entry))
      .sort()
      .map((entry) => join(dirname(path), entry));
  } catch {
    return [];
  }
}

export function parseSshConfig(text: string, file: string, depth = 0): SshConfigBlock[] {
  const blocks: SshConfigBlock[] = [{ patterns: [], isMatch: false, options: [] }];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const parts = splitLine(line);
    if (!parts) throw new SshConfigError(file, index + 1, `cannot parse "${raw.trim()}": expected "Keyword value"`);
    const [key, value] = parts;
    const current = blocks[blocks.length - 1];
    if (key === 'host') {
      const patterns = unquote(value);
      if (patterns.length === 0) throw new SshConfigError(file, index + 1, 'Host needs at least one pattern');
      blocks.push({ patterns, isMatch: false, options: [], guard: current.guard });
    } else if (key === 'match') {
      blocks.push({ patterns: [], isMatch: true, options: [] });
    } else if (key === 'include') {
      if (depth >= 16) throw new SshConfigError(file, index + 1, 'Include nested too deeply');
      for (const included of unquote(value).flatMap((pattern) => includeFiles(pattern, file))) {
        let includedText: string;
        try {
          includedText = readFileSync(included, 'utf8');
        } catch {
          continue; // OpenSSH ignores Include targets that do not exist
        }
        const guard = [...(current.guard ?? []), ...(current.patterns.length ? [current.patterns.join(',')] : [])];
        for (const block of parseSshConfig(includedText, included, depth + 1)) {
          blocks.push({ ...block, isMatch: block.isMatch || current.isMatch, guard: [...guard, ...(block.guard ?? [])] });
        }
      }
      // lines after the Include belong to the enclosing block again
      blocks.push({ patterns: current.patterns, isMatch: current.isMatch, options: [], guard: current.guard });
    } else {
      current.options.push({ key, value, line: index + 1 });
    }
  });
  return blocks;
}

function blockApplies(block: SshConfigBlock, host: string): boolean {
  if (block.isMatch) return false;
  if (block.guard && !block.guard.every((list) => matchPatternList(list, host))) return false;
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
  const rawKnownHosts: string[] = [];
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
        case 'userknownhostsfile':
          if (result.knownHostsFiles === undefined) rawKnownHosts.push(...unquote(value));
          result.knownHostsFiles ??= [];
          break;
        case 'stricthostkeychecking': {
          if (result.strictHostKeyChecking !== undefined) break;
          const setting = first.toLowerCase();
          // "no"/"off" would accept changed keys in OpenSSH; we never do, so they mean accept-new here
          result.strictHostKeyChecking = setting === 'yes' || setting === 'true' ? 'strict' : setting === 'ask' ? 'prompt' : 'accept-new';
          break;
        }
      }
    }
  }
  if (result.hostName !== undefined) result.hostName = expandTokens(result.hostName, host, host, result.user);
  const effectiveHost = result.hostName ?? host;
  result.identityFiles = rawIdentity.map((path) => expandTilde(expandTokens(path, effectiveHost, host, result.user)));
  if (result.proxyJump?.toLowerCase() === 'none') result.proxyJump = undefined;
  if (result.knownHostsFiles) result.knownHostsFiles = rawKnownHosts.filter((f) => f.toLowerCase() !== 'none').map((path) => expandTilde(expandTokens(path, effectiveHost, host, result.user)));
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
