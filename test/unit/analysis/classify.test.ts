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

describe('the line scan agrees with a full YAML parse', () => {
  it('on the corpora and on mutants of them', async () => {
    const { classifyByParse } = await import('../../../server/documents/classify');
    const { corpus } = await import('../../fixtures/lsp/corpus');
    const { mutate, rng } = await import('../../fixtures/lsp/mutate');
    const texts = corpus().map((c) => c.text);
    for (let i = 0; i < 400; i++) texts.push(mutate(texts[i % 30], rng(7000 + i)));
    let compared = 0;
    for (const text of texts) {
      const full = classifyByParse(text);
      // mutants the YAML parser rejects have no reference answer
      const { parseDocument } = await import('yaml');
      if (parseDocument(text, { version: '1.1', uniqueKeys: false }).errors.length) continue;
      expect(classifyText(text), text).toBe(full.kind);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });
});
