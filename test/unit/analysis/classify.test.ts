/** Which documents the server claims (playbooks, task files) and which it leaves alone. */
import { describe, expect, it } from 'vitest';
import { classifyDocument, classifyText } from '../../../server/documents/classify';

describe('classify', () => {
  it('plays, import_playbook lists and task lists', () => {
    expect(classifyText('- hosts: all\n  tasks: []\n')).toBe('playbook');
    expect(classifyText('- import_playbook: other.yml\n')).toBe('playbook');
    expect(classifyText('- ansible.builtin.import_playbook: other.yml\n')).toBe('playbook');
    expect(classifyText('- name: x\n  ansible.builtin.command: echo\n')).toBe('tasks');
    expect(classifyText('- name: x\n  community.general.make:\n    chdir: /src\n')).toBe('tasks');
    expect(classifyText('- block:\n    - debug: {msg: x}\n')).toBe('tasks');
  });
  it('never claims unrelated YAML', () => {
    expect(classifyText('apiVersion: v1\nkind: Pod\n')).toBe('other');
    expect(classifyText('on: push\njobs: {}\n')).toBe('other');
    expect(classifyText('services:\n  web:\n    image: nginx\n')).toBe('other');
    expect(classifyText('- apple\n- banana\n')).toBe('other');
    expect(classifyText('- name: a\n  image: nginx\n')).toBe('other');
    expect(classifyDocument('yaml', 'apiVersion: v1\n')).toBe('other');
    expect(classifyDocument('json', '- hosts: all\n')).toBe('other');
  });
  it('ansible documents are analysed even when empty or broken, but not vars files', () => {
    expect(classifyDocument('ansible', '')).toBe('playbook');
    expect(classifyDocument('ansible', '- hosts: [\n')).toBe('playbook');
    expect(classifyDocument('ansible', 'http_port: 80\nmax_clients: 200\n')).toBe('other');
    expect(classifyDocument('yaml', '# code: language=ansible\n- debug: {msg: x}\n')).toBe('tasks');
  });
});
