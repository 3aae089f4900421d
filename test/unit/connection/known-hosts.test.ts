import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprintOf, judgeHostKey, keyTypeOf, knownHostsName, matchPatternList, parseKnownHosts } from '../../../runtime/connection/known-hosts';

/** A syntactically valid ssh-ed25519 public key blob with random key bytes. */
function fakeKey(): Buffer {
  const type = Buffer.from('ssh-ed25519');
  const key = randomBytes(32);
  const len = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  return Buffer.concat([len(type.length), type, len(key.length), key]);
}

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts parsing and matching', () => {
  const key = fakeKey();
  const other = fakeKey();
  const line = (hosts: string, blob = key) => `${hosts} ssh-ed25519 ${blob.toString('base64')}`;

  it('names hosts as OpenSSH does', () => {
    expect(knownHostsName('h', 22)).toBe('h');
    expect(knownHostsName('127.0.0.1', 2201)).toBe('[127.0.0.1]:2201');
    expect(keyTypeOf(key)).toBe('ssh-ed25519');
    expect(fingerprintOf(key)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('pattern lists: wildcards, negation veto, case-insensitive', () => {
    expect(matchPatternList('*.example.com,!bad.example.com', 'Web.Example.com')).toBe(true);
    expect(matchPatternList('*.example.com,!bad.example.com', 'bad.example.com')).toBe(false);
    expect(matchPatternList('web?', 'web12')).toBe(false);
    expect(matchPatternList('[10.0.0.?]:2222', '[10.0.0.5]:2222')).toBe(true);
  });

  it('match, unknown, mismatch, revoked; comments, blank and cert-authority lines skipped', () => {
    const text = ['# comment', '', line('a.example,b.example'), line(hashed('[h]:2222')), `@cert-authority *.example ${'ssh-ed25519'} ${other.toString('base64')}`, line('c.example', other)].join('\n');
    const entries = parseKnownHosts(text, '/kh');
    expect(entries.map((e) => [e.line, e.marker])).toEqual([
      [3, undefined],
      [4, undefined],
      [5, 'cert-authority'],
      [6, undefined],
    ]);
    expect(judgeHostKey(entries, 'b.example', 22, key).kind).toBe('match');
    expect(judgeHostKey(entries, 'h', 2222, key).kind).toBe('match');
    expect(judgeHostKey(entries, 'h', 22, key).kind).toBe('unknown');
    // a cert-authority line does not make a host "known"
    expect(judgeHostKey(entries, 'z.example', 22, key).kind).toBe('unknown');
    const mismatch = judgeHostKey(entries, 'c.example', 22, key);
    expect(mismatch).toEqual({ kind: 'mismatch', fingerprint: fingerprintOf(key), expected: [`ssh-ed25519 ${fingerprintOf(other)} (/kh:6)`] });
    const revoked = judgeHostKey(parseKnownHosts(`${line('a')}\n@revoked * ssh-ed25519 ${key.toString('base64')}`, '/kh'), 'a', 22, key);
    expect(revoked.kind).toBe('revoked');
  });
});
