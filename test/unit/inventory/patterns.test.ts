import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../../runtime/inventory';
import { splitPattern } from '../../../runtime/inventory/patterns';
import { fixture, tempTree } from './helpers';

const inventory = loadInventory([fixture('ini-basic', 'hosts')]);
const web = ['web01.example.com', 'web02.example.com', 'web03.example.com', 'web-extra'];
const db = ['db-a', 'db-b', 'db-c'];
const all = ['mail.example.com', 'jump', ...web, ...db];

describe('host patterns', () => {
  it.each<[string, string[]]>([
    ['all', all],
    ['*', all],
    ['webservers', web],
    ['webservers:dbservers', [...web, ...db]],
    ['dbservers,webservers', [...db, ...web]],
    ['prod:&webservers', web],
    ['prod:!webservers', db],
    ['!webservers', ['mail.example.com', 'jump', ...db]],
    ['&dbservers', db],
    ['!webservers:dbservers', db],
    ['web0*', web.slice(0, 3)],
    ['web*', web],
    ['*.example.com', ['mail.example.com', ...web.slice(0, 3)]],
    ['~web0[12]', web.slice(0, 2)],
    // groups match first (dbservers), then hosts
    ['~(db|jump)', [...db, 'jump']],
    ['webservers[0]', [web[0]]],
    ['webservers[0:2]', web.slice(0, 3)],
    ['webservers[1:]', web.slice(1)],
    ['webservers[-1]', [web[3]]],
    ['db-a,jump', ['db-a', 'jump']],
    ['ungrouped', ['mail.example.com', 'jump']],
    ['nothing-here', []],
  ])('%s', (pattern, expected) => {
    expect(inventory.resolvePattern(pattern)).toEqual(expected);
  });

  it('warns about terms that match nothing, like Ansible', () => {
    expect(inventory.matchPattern('webservers:nothing-here').warnings).toEqual(['Could not match supplied host pattern, ignoring: nothing-here']);
  });

  it('splits on commas, else colons, keeping ranges and IPv6', () => {
    expect(splitPattern('a:b:&c:!d')).toEqual(['a', 'b', '&c', '!d']);
    expect(splitPattern('web[0:2]:db')).toEqual(['web[0:2]', 'db']);
    expect(splitPattern('a, b ,')).toEqual(['a', 'b']);
    expect(splitPattern('fe80::1')).toEqual(['fe80::1']);
  });

  it('implicit localhost: matched by name, local connection, not in all', () => {
    expect(inventory.resolvePattern('localhost')).toEqual(['localhost']);
    expect(inventory.resolvePattern('webservers:127.0.0.1')).toEqual([...web, '127.0.0.1']);
    expect(inventory.resolvePattern('all')).not.toContain('localhost');
    expect(inventory.groups().all).not.toContain('localhost');
    const vars = inventory.hostVars('localhost');
    expect(vars.ansible_connection).toBe('local');
    // all-group vars still apply to it
    expect(vars.ntp).toBe('overridden-by-group_vars-all');
    expect(inventory.groupNames('localhost')).toEqual([]);
  });

  it('an inventory localhost is a normal host', () => {
    const dir = tempTree({ hosts: '[local]\nlocalhost ansible_connection=ssh\n' });
    const own = loadInventory([join(dir, 'hosts')]);
    expect(own.resolvePattern('all')).toEqual(['localhost']);
    expect(own.hostVars('localhost').ansible_connection).toBe('ssh');
    // another alias of localhost means the inventory's one, not a new implicit host
    expect(own.resolvePattern('127.0.0.1')).toEqual(['localhost']);
  });

  it('--limit narrows any pattern, including @file lists', () => {
    expect(inventory.resolvePattern('all', { limit: 'dbservers' })).toEqual(db);
    expect(inventory.resolvePattern('prod', { limit: 'web0*:!web02.example.com' })).toEqual(['web01.example.com', 'web03.example.com']);
    const dir = tempTree({});
    writeFileSync(join(dir, 'retry'), 'jump\nweb02.example.com\n\n');
    expect(inventory.resolvePattern('all', { limit: '@retry', cwd: dir })).toEqual(['jump', 'web02.example.com']);
    expect(() => inventory.resolvePattern('all', { limit: '@missing', cwd: dir })).toThrow(/Unable to find limit file .*missing/);
  });

  it('group var precedence: depth, then ansible_group_priority, then name', () => {
    const dir = tempTree({
      hosts: '[b]\nh\n[a]\nh\n[a:vars]\nx=from-a\n[b:vars]\nx=from-b\n',
      'prio.ini': '[b]\nh\n[a]\nh\n[a:vars]\nx=from-a\nansible_group_priority=10\n[b:vars]\nx=from-b\n',
      'deep.ini': '[parent:children]\nchild\n[child]\nh\n[parent]\n[child:vars]\nx=child\n[parent:vars]\nx=parent\n[zzz]\nh\n[zzz:vars]\nx=zzz-shallow\n',
    });
    expect(loadInventory([join(dir, 'hosts')]).hostVars('h').x).toBe('from-b');
    expect(loadInventory([join(dir, 'prio.ini')]).hostVars('h').x).toBe('from-a');
    // child (depth 2) beats both its parent and the alphabetically later top-level group (depth 1)
    expect(loadInventory([join(dir, 'deep.ini')]).hostVars('h').x).toBe('child');
  });
});
