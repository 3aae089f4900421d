import { describe, expect, it } from 'vitest';
import { sshd } from '../../host/sshd';
import { recapLines, runPlaybook } from './helpers';

describe('add_host and group_by: in-memory inventory changes', () => {
  it('add_host bypasses the host loop, reports changed only for real changes, and later plays reach the new hosts', async () => {
    const outcome = await runPlaybook({
      hosts: 2,
      playbook: `
- hosts: all
  gather_facts: false
  tasks:
    - name: add two hosts
      add_host:
        name: "{{ item.name }}"
        ansible_host: "{{ item.address }}"
        groups: [dynamic, extra]
        role_tag: web
      loop:
        - { name: dyn1, address: ${sshd().hosts[2]} }
        - { name: dyn2, address: ${sshd().hosts[3]} }
      register: added
    - name: the same host again changes nothing
      add_host: name=dyn1 groups=dynamic ansible_host=${sshd().hosts[2]} role_tag=web
      register: again
    - name: name:port sets ansible_ssh_port
      add_host: { hostname: "dyn3:2222", group: odd }
      register: ported
    - name: missing name
      add_host: { groups: x }
      ignore_errors: true
    - name: show
      when: inventory_hostname == 'h1'
      debug:
        msg: "{{ groups.dynamic }} {{ groups.extra | length }} {{ hostvars.dyn1.role_tag }} {{ added.results[0].add_host }} {{ again.changed }} {{ hostvars.dyn3.ansible_ssh_port }} {{ hostvars.dyn3.group }}"

- hosts: dynamic
  gather_facts: false
  tasks:
    - name: on the new hosts
      command: echo {{ inventory_hostname }} {{ group_names | join(',') }}
      register: out
`,
    });
    const context = outcome.out + outcome.err;
    const add = outcome.results.filter((e) => e.task === 'add two hosts');
    // one host only, one result per item
    expect(add.map((e) => `${e.host} ${e.event} ${(e as { changed?: boolean }).changed}`), context).toEqual([
      'h1 runner_item_on_ok true',
      'h1 runner_item_on_ok true',
      'h1 runner_on_ok true',
    ]);
    const again = outcome.results.find((e) => e.task === 'the same host again changes nothing')!;
    expect(again.event).toBe('runner_on_ok');
    expect((again as { changed?: boolean }).changed).toBe(false);
    expect(again.result.add_host).toEqual({ host_name: 'dyn1', groups: ['dynamic'], host_vars: { ansible_host: sshd().hosts[2], role_tag: 'web' } });
    expect(outcome.results.find((e) => e.task === 'missing name')!.result.msg).toBe('name, host or hostname needs to be provided');
    const show = outcome.results.find((e) => e.task === 'show' && e.host === 'h1')!;
    expect(show.result.msg).toBe(
      `['dyn1', 'dyn2'] 2 web {'host_name': 'dyn1', 'groups': ['dynamic', 'extra'], 'host_vars': {'ansible_host': '${sshd().hosts[2]}', 'role_tag': 'web'}} False 2222 odd`,
    );
    const second = outcome.results.filter((e) => e.task === 'on the new hosts');
    expect(second.map((e) => `${e.host} ${String(e.result.stdout)}`).sort(), context).toEqual(['dyn1 dyn1 dynamic,extra', 'dyn2 dyn2 dynamic,extra']);
    expect(recapLines(outcome.out)).toContain('h2                         : ok=0    changed=0    unreachable=0    failed=0    skipped=1    rescued=0    ignored=0');
    expect(outcome.rc).toBe(0);
  });

  it('group_by runs per host, creates groups under parents, and later plays target them', async () => {
    const outcome = await runPlaybook({
      hosts: 3,
      playbook: `
- hosts: all
  gather_facts: false
  tasks:
    - name: by parity
      group_by:
        key: "parity {{ 'odd' if inventory_hostname in ['h1', 'h3'] else 'even' }}"
        parents: [by_parity]
    - name: again
      group_by: { key: "parity {{ 'odd' if inventory_hostname in ['h1', 'h3'] else 'even' }}", parents: by_parity }
    - name: no key
      group_by: {}
      ignore_errors: true
      when: inventory_hostname == 'h1'
    - name: names
      debug: { msg: "{{ group_names }} {{ groups['by_parity'] }}" }

- hosts: parity-odd
  gather_facts: false
  tasks:
    - name: odd only
      debug: { msg: "{{ inventory_hostname }}" }
`,
    });
    const context = outcome.out + outcome.err;
    const by = outcome.results.filter((e) => e.task === 'by parity');
    expect(by.map((e) => e.host).sort()).toEqual(['h1', 'h2', 'h3']);
    expect(by.every((e) => (e as { changed?: boolean }).changed)).toBe(true);
    expect(by.find((e) => e.host === 'h2')!.result).toMatchObject({ add_group: 'parity-even', parent_groups: ['by_parity'] });
    expect(outcome.results.filter((e) => e.task === 'again').every((e) => (e as { changed?: boolean }).changed === false), context).toBe(true);
    expect(outcome.results.find((e) => e.task === 'no key' && e.host === 'h1')!.result.msg).toBe("the 'key' param is required when using group_by");
    expect(outcome.results.find((e) => e.task === 'names' && e.host === 'h2')!.result.msg).toBe("['by_parity', 'parity-even', 'test'] ['h1', 'h3', 'h2']");
    expect(outcome.results.filter((e) => e.task === 'odd only').map((e) => e.host)).toEqual(['h1', 'h3']);
    expect(outcome.rc).toBe(0);
  });
});
