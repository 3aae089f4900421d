/**
 * Host names in inventories: ranges like `web[01:10]`, `db[a:c]`, `n[1:10:2]` (several per name allowed) and an
 * optional `:port` suffix, as Ansible's `expand_hostname_range` and `parse_address`.
 */

export class HostRangeError extends Error {}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function hasRange(name: string): boolean {
  const open = name.indexOf('[');
  if (open < 0) return false;
  const close = name.indexOf(']', open);
  return close > open && name.slice(open, close).includes(':');
}

export function expandHostRange(name: string): string[] {
  if (!hasRange(name)) return [name];
  const open = name.indexOf('[');
  const close = name.indexOf(']', open);
  const head = name.slice(0, open);
  const tail = name.slice(close + 1);
  const bounds = name.slice(open + 1, close).split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new HostRangeError(`host range must be begin:end or begin:end:step in "${name}"`);
  const begin = bounds[0] === '' ? '0' : bounds[0];
  const end = bounds[1];
  const step = bounds.length === 3 ? Number(bounds[2]) : 1;
  if (end === '') throw new HostRangeError(`host range must specify end value in "${name}"`);
  if (!Number.isInteger(step) || step <= 0) throw new HostRangeError(`host range step must be a positive integer in "${name}"`);
  let sequence: string[];
  const bi = begin.length === 1 ? LETTERS.indexOf(begin) : -1;
  const ei = end.length === 1 ? LETTERS.indexOf(end) : -1;
  if (bi >= 0 && ei >= 0) {
    if (bi > ei) throw new HostRangeError(`host range must have begin <= end in "${name}"`);
    sequence = [];
    for (let i = bi; i <= ei; i += step) sequence.push(LETTERS[i]);
  } else {
    if (!/^\d+$/.test(begin) || !/^\d+$/.test(end)) throw new HostRangeError(`host range bounds must be numbers or single letters in "${name}"`);
    const width = begin.length > 1 && begin.startsWith('0') ? begin.length : 0;
    if (width && width !== end.length) throw new HostRangeError(`host range must specify equal-length begin and end formats in "${name}"`);
    sequence = [];
    for (let i = Number(begin); i <= Number(end); i += step) sequence.push(width ? String(i).padStart(width, '0') : String(i));
  }
  return sequence.flatMap((part) => expandHostRange(head + part + tail));
}

/**
 * Splits `host:port` (also `[v6addr]:port`); a bare IPv6 address or a name with a range keeps its colons.
 * Returns undefined port when there is none.
 */
export function splitHostPort(entry: string): { host: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  // `[::1]:22`: an IPv6 address in brackets (two or more colons), not an `[x:y]` range
  if (bracketed && /^[0-9a-fA-F:.]+$/.test(bracketed[1]) && (bracketed[1].match(/:/g) ?? []).length >= 2) return { host: bracketed[1], port: bracketed[2] ? Number(bracketed[2]) : undefined };
  // colons inside [x:y] ranges are not a port separator
  const outside = entry.replace(/\[[^\]]*\]/g, (m) => '_'.repeat(m.length));
  const colons = [...outside.matchAll(/:/g)].map((m) => m.index!);
  if (colons.length === 1) {
    const port = entry.slice(colons[0] + 1);
    if (/^\d+$/.test(port)) return { host: entry.slice(0, colons[0]), port: Number(port) };
  }
  return { host: entry };
}
