import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../../runtime/inventory';
import { fixture } from './helpers';

describe('INI inventory (real files)', () => {
  const inventory = loadInventory([fixture('ini-basic', 'hosts')]);

  it('builds groups, children, ungrouped and inventory order', () => {
    expect([...inventory.groupData.keys()]).toEqual(['all', 'ungrouped', 'webservers', 'dbservers', 'prod']);
    expect(inventory.groups()).toEqual({
      all: ['mail.example.com', 'jump', 'web01.example.com', 'web02.example.com', 'web03.example.com', 'web-extra', 'db-a', 'db-b', 'db-c'],
      ungrouped: ['mail.example.com', 'jump'],
      webservers: ['web01.example.com', 'web02.example.com', 'web03.example.com', 'web-extra'],
      dbservers: ['db-a', 'db-b', 'db-c'],
      prod: ['web01.example.com', 'web02.example.com', 'web03.example.com', 'web-extra', 'db-a', 'db-b', 'db-c'],
    });
    expect(inventory.groupData.get('all')!.children).toEqual(['ungrouped', 'prod']);
    expect(inventory.groupNames('web01.example.com')).toEqual(['prod', 'webservers']);
    expect(inventory.groupNames('mail.example.com')).toEqual(['ungrouped']);
  });

  it('coerces inline host vars like Ansible and takes :port', () => {
    const host = (name: string) => inventory.hosts.get(name)!.vars;
    expect(host('jump')).toMatchObject({ ansible_port: 2222, ansible_user: 'admin' });
    expect(host('web02.example.com')).toMatchObject({ http_port: 8080, ansible_become: true });
    expect(host('web-extra')).toMatchObject({ ansible_host: '10.0.0.9', note: 'two words', ratio: 0.5, tags: ['a', 'b'], raw: 'yes', pw: 'abc' });
    expect(host('db-a')).toMatchObject({ role_order: 1, ansible_port: 5433 });
    expect(host('db-b')).toMatchObject({ role_order: 1 });
    expect(host('db-b').ansible_port).toBeUndefined();
    expect(inventory.groupData.get('prod')!.vars).toEqual({ env: 'production', max_conns: 100, flag: false, quoted: 'kept quotes', listy: [1, 2, 3] });
  });

  it('merges group vars (all < parent < child), group_vars/ files and host_vars/', () => {
    expect(inventory.hostVars('web01.example.com')).toEqual({
      ntp: 'overridden-by-group_vars-all',
      env: 'web-env',
      max_conns: 100,
      flag: false,
      quoted: 'kept quotes',
      listy: [1, 2, 3],
      from_group_vars_all: true,
      layered: 'second',
      only_first: 1,
      inventory_file: fixture('ini-basic', 'hosts'),
      inventory_dir: fixture('ini-basic'),
      http_port: 9090,
      ansible_become: true,
    });
    expect(inventory.hostVars('db-c')).toMatchObject({ env: 'production', role_order: 1, ntp: 'overridden-by-group_vars-all' });
    expect(inventory.hostVars('db-c').layered).toBeUndefined();
  });

  it('playbook-side group_vars/host_vars override the inventory side', () => {
    const withPlaybook = loadInventory([fixture('ini-basic', 'hosts')], { playbookDirs: [fixture('playbook-side')] });
    expect(withPlaybook.hostVars('web01.example.com')).toMatchObject({ ntp: 'from-playbook-group_vars-all', layered: 'from-playbook', http_port: 9090 });
    expect(withPlaybook.hostVars('web02.example.com')).toMatchObject({ http_port: 7070 });
  });
});

describe('YAML inventory (real files)', () => {
  const inventory = loadInventory([fixture('yaml-basic', 'inventory.yml')]);

  it('reads hosts, vars, nested children, ranges, ports and string shorthands', () => {
    expect(inventory.groups()).toEqual({
      all: ['lonely', 'app1', 'app2', 'app3', 'dbhost'],
      ungrouped: ['lonely'],
      app: ['app1', 'app2', 'app3'],
      app_canary: ['app2'],
      db: ['dbhost'],
    });
    expect(inventory.groupNames('app2')).toEqual(['app', 'app_canary']);
    expect(inventory.hosts.get('app3')!.vars.ansible_port).toBe(2200);
  });

  it('child group vars beat parent group vars; group_vars JSON applies', () => {
    expect(inventory.hostVars('app2')).toMatchObject({ common: 'from-all', tier: 'app', depth_marker: 'canary', canary: true, ansible_host: '192.0.2.10' });
    expect(inventory.hostVars('app1')).toMatchObject({ depth_marker: 'app', ansible_host: '192.0.2.10' });
    expect(inventory.hostVars('dbhost')).toMatchObject({ tier: 'db', common: 'from-all' });
  });
});

describe('sources', () => {
  it('several -i merge, each with its own group_vars', () => {
    const inventory = loadInventory([fixture('ini-basic', 'hosts'), fixture('yaml-basic', 'inventory.yml')]);
    expect(inventory.resolvePattern('webservers:app_canary')).toEqual(['web01.example.com', 'web02.example.com', 'web03.example.com', 'web-extra', 'app2']);
    expect(inventory.hostVars('app2')).toMatchObject({ canary: true, from_group_vars_all: true });
  });

  it('a directory loads every inventory file in it (not README.md), with its group_vars', () => {
    const inventory = loadInventory([fixture('dir-source')]);
    expect(inventory.resolvePattern('all')).toEqual(['a1', 'b1']);
    expect(inventory.hostVars('a1')).toMatchObject({ alpha_var: 1 });
  });

  it('a comma-separated host list', () => {
    const inventory = loadInventory(['h1,h2,']);
    expect(inventory.groups()).toMatchObject({ all: ['h1', 'h2'], ungrouped: ['h1', 'h2'] });
  });
});
