import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPlaybook } from './helpers';

const files = {
  'vars/all/10-base.yml': 'a: 1\nb: base\nflag: yes\n',
  'vars/all/20-over.yaml': 'b: over\n',
  'vars/all/30-data.json': '{"c": [1, 2]}\n',
  'vars/all/skip-me.yml': 'skipped: true\n',
  'vars/all/sub/40-deep.yml': 'deep: true\n',
  'vars/mixed/1.yml': 'x: 1\n',
  'vars/mixed/README.md': '# notes\n',
  'vars/list/1.yml': '- not a dict\n',
};

describe('include_vars with dir:', () => {
  it('loads a directory in sorted order with depth, files_matching, ignore_files, extensions and name', async () => {
    const outcome = await runPlaybook({
      playbook: {
        ...files,
        'playbook.yml': `
- hosts: h1
  gather_facts: false
  tasks:
    - name: whole tree
      include_vars: { dir: vars/all, ignore_files: ['skip-me.yml'] }
    - name: shallow under a name
      include_vars: { dir: vars/all, depth: 1, name: shallow }
    - name: matching only
      include_vars: { dir: vars/all, files_matching: '^[0-9]+-(base|deep)', name: matched }
    - name: json only
      include_vars: { dir: vars/all, extensions: [json], ignore_unknown_extensions: true, name: onlyjson }
    - name: unknown extension fails
      include_vars: { dir: vars/mixed }
      ignore_errors: true
    - name: ignore unknown extensions
      include_vars: { dir: vars/mixed, ignore_unknown_extensions: true, name: mixed }
    - name: not a dict
      include_vars: { dir: vars/list }
      ignore_errors: true
    - name: missing dir
      include_vars: { dir: vars/nope }
      ignore_errors: true
    - name: mixing arguments
      include_vars: { dir: vars/all, file: x.yml }
      ignore_errors: true
    - name: show
      debug:
        msg: "{{ a }} {{ b }} {{ flag }} {{ c }} {{ deep }} {{ skipped | default('none') }} | {{ shallow.keys() | sort }} | {{ matched }} | {{ onlyjson }} | {{ mixed }}"
`,
      },
    });
    const context = outcome.out + outcome.err;
    const by = (task: string) => outcome.results.find((e) => e.task === task && e.event.startsWith('runner_on_'))!;
    expect(by('show').result.msg, context).toBe(
      "1 over True [1, 2] True none | ['a', 'b', 'c', 'flag', 'skipped'] | {'a': 1, 'b': 'base', 'flag': True, 'deep': True} | {'c': [1, 2]} | {'x': 1}",
    );
    const whole = by('whole tree').result;
    expect(whole.ansible_included_var_files).toEqual(['10-base.yml', '20-over.yaml', '30-data.json', 'sub/40-deep.yml'].map((f) => join(outcome.dir, 'vars/all', f)));
    expect(by('unknown extension fails').result).toMatchObject({ failed: true, message: `${join(outcome.dir, 'vars/mixed/README.md')} does not have a valid extension: yaml, yml, json` });
    expect(by('not a dict').result.message).toBe(`${join(outcome.dir, 'vars/list/1.yml')} must be stored as a dictionary/hash`);
    expect(by('missing dir').result.message).toBe(`${join(outcome.dir, 'vars/nope')} directory does not exist`);
    expect(by('mixing arguments').result.msg).toBe('You are mixing file only and dir only arguments, these are incompatible');
    expect(outcome.rc).toBe(0);
  });
});
