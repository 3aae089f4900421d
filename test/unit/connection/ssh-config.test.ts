import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupSshConfig, parseProxyJump, parseSshConfig, SshConfigError } from '../../../runtime/connection/ssh-config';

const config = `
# global defaults come first only if written before any Host
User globaluser

Host web* !web-legacy
  HostName %h.example.internal
  Port 2222
  IdentityFile ~/.ssh/web_key

Host web-legacy
  HostName 10.0.0.9

Host db "quoted alias"
  HostName=db.internal
  User dbadmin
  ProxyJump jumper@bastion:2200,inner
  IdentityFile %d/keys/%r-%h

Match host web1
  Port 9999

Host *
  User fallback
  Port 22
  IdentityFile ~/.ssh/id_default
  ProxyJump none
`;

describe('ssh config subset', () => {
  const blocks = parseSshConfig(config, '/tmp/config');

  it('first obtained value wins; patterns, negation and %h expansion', () => {
    expect(lookupSshConfig(blocks, 'web1')).toEqual({
      hostName: 'web1.example.internal',
      user: 'globaluser',
      port: 2222,
      identityFiles: [join(homedir(), '.ssh/web_key'), join(homedir(), '.ssh/id_default')],
      proxyJump: undefined,
    });
    // the negated pattern vetoes the web* block
    expect(lookupSshConfig(blocks, 'web-legacy')).toMatchObject({ hostName: '10.0.0.9', port: 22 });
  });

  it('Key=Value, quoted patterns, ProxyJump and %d/%r/%h in IdentityFile', () => {
    const db = lookupSshConfig(blocks, 'quoted alias');
    expect(db.hostName).toBe('db.internal');
    expect(db.user).toBe('globaluser');
    expect(db.proxyJump).toBe('jumper@bastion:2200,inner');
    expect(db.identityFiles[0]).toBe(`${homedir()}/keys/globaluser-db.internal`);
  });

  it('a host matching nothing specific gets the catch-all', () => {
    expect(lookupSshConfig(blocks, 'other')).toEqual({ user: 'globaluser', port: 22, identityFiles: [join(homedir(), '.ssh/id_default')], proxyJump: undefined });
    expect(userInfo().username).toBeTruthy();
  });

  it('errors carry file:line', () => {
    expect(() => parseSshConfig('Host a\n  Port\n', '/x/config')).toThrow(new SshConfigError('/x/config', 2, 'cannot parse "Port": expected "Keyword value"'));
    expect(() => lookupSshConfig(parseSshConfig('Host a\n  Port eighty\n', '/x/config'), 'a', '/x/config')).toThrow('/x/config:2: Port "eighty" is not a port number');
  });

  it('Include (glob, relative, guarded by the enclosing Host), UserKnownHostsFile, StrictHostKeyChecking', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-sshcfg-'));
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(join(dir, 'conf.d', '10-a.conf'), 'Host inc-*\n  Port 2201\n');
    writeFileSync(join(dir, 'conf.d', '20-b.conf'), 'User from-b\n');
    writeFileSync(join(dir, 'conf.d', 'skip.txt'), 'Port 1\n');
    writeFileSync(join(dir, 'guarded'), 'Port 4444\n');
    writeFileSync(
      join(dir, 'config'),
      'Include conf.d/*.conf\nHost only-this\n  Include guarded\n  UserKnownHostsFile ~/kh1 %d/kh2\n  StrictHostKeyChecking ask\nHost *\n  StrictHostKeyChecking yes\n',
    );
    const file = join(dir, 'config');
    const blocks = parseSshConfig(readFileSync(file, 'utf8'), file);
    expect(lookupSshConfig(blocks, 'inc-1')).toMatchObject({ port: 2201, user: 'from-b', strictHostKeyChecking: 'strict' });
    // `User from-b` came from an Include outside any Host block: it applies to every host
    expect(lookupSshConfig(blocks, 'only-this')).toMatchObject({ port: 4444, user: 'from-b', knownHostsFiles: [join(homedir(), 'kh1'), join(homedir(), 'kh2')], strictHostKeyChecking: 'prompt' });
    // the guarded Include does not leak to other hosts
    expect(lookupSshConfig(blocks, 'other').port).toBeUndefined();
  });

  it('parses ProxyJump hops', () => {
    expect(parseProxyJump('a, me@b:2200,[::1]:22,ssh://c')).toEqual([
      { user: undefined, host: 'a', port: undefined },
      { user: 'me', host: 'b', port: 2200 },
      { user: undefined, host: '::1', port: 22 },
      { user: undefined, host: 'c', port: undefined },
    ]);
  });
});
