import { describe, expect, it } from 'vitest';
import { becomeFromVars, connectionType, sshOptionsFromVars } from '../../../runtime/connection/from-vars';
import { shellJoin, shellQuote } from '../../../runtime/connection/quote';

describe('connection settings from Ansible variables', () => {
  it('maps host, port, user, key, password, timeout', () => {
    expect(
      sshOptionsFromVars('web1', { ansible_host: '10.0.0.5', ansible_port: '2222', ansible_user: 'deploy', ansible_ssh_private_key_file: '/k', ansible_password: 'pw', ansible_timeout: 30 }),
    ).toEqual({ name: 'web1', host: '10.0.0.5', port: 2222, user: 'deploy', keyFiles: ['/k'], password: 'pw', connectTimeoutMs: 30_000 });
    expect(sshOptionsFromVars('web1', {})).toEqual({ name: 'web1', host: 'web1' });
    expect(() => sshOptionsFromVars('web1', { ansible_port: 'http' })).toThrow('web1: ansible_port "http" is not a port number');
  });

  it('honours the OpenSSH options of ansible_ssh_common_args we can, refuses ProxyCommand', () => {
    expect(
      sshOptionsFromVars('h', {
        ansible_ssh_common_args: `-J bastion:2200 -o StrictHostKeyChecking=no -o 'UserKnownHostsFile=/dev/null' -oPort=2201`,
        ansible_ssh_extra_args: '-i /extra/key',
      }),
    ).toEqual({ name: 'h', host: 'h', proxyJump: 'bastion:2200', hostKeyPolicy: 'accept-new', knownHostsFiles: ['/dev/null'], port: 2201, keyFiles: ['/extra/key'] });
    expect(() => sshOptionsFromVars('h', { ansible_ssh_common_args: '-o ProxyCommand="ssh -W %h:%p bastion"' })).toThrow(/ProxyCommand, which the bundled runtime does not run/);
    expect(sshOptionsFromVars('h', { ansible_host_key_checking: 'False' }).hostKeyPolicy).toBe('accept-new');
  });

  it('connection type and become', () => {
    expect(connectionType('h', { ansible_connection: 'local' })).toBe('local');
    expect(connectionType('h', {})).toBe('ssh');
    expect(() => connectionType('h', { ansible_connection: 'winrm' })).toThrow(/not supported by the bundled runtime.*--engine ansible/);
    expect(becomeFromVars({ ansible_become: true, ansible_become_pass: 's' })).toEqual({ becomeUser: 'root', becomePassword: 's' });
    expect(becomeFromVars({ ansible_become: false })).toBeUndefined();
  });
});

describe('shell quoting', () => {
  it('leaves safe words bare and single-quotes the rest', () => {
    expect(shellQuote('abc-1.2/x=y')).toBe('abc-1.2/x=y');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellJoin(['echo', 'a b', '$HOME'])).toBe(`echo 'a b' '$HOME'`);
  });
});
