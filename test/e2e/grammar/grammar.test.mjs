// The Ansible grammar tokenized by VS Code's own TextMate engine (from the code-server install) together with
// VS Code's built-in YAML grammar: Jinja inside {{ }} / {% %} / {# #}, the values of when/until/failed_when/
// changed_when as Jinja, Ansible keywords, and plain YAML left to the YAML grammar.
import assert from 'node:assert/strict';
import { loadTokenizer } from './tokenizer.mjs';

let tokenize;
before(async () => {
  tokenize = await loadTokenizer();
});

/** The scopes of the first token on `line` whose text is `text` (after skipping `skip` earlier matches). */
function scopesOf(lines, line, text, skip = 0) {
  const matches = lines[line].filter((t) => t.text === text);
  assert.ok(matches.length > skip, `token '${text}' on line ${line + 1}: ${JSON.stringify(lines[line].map((t) => t.text))}`);
  return matches[skip].scopes;
}

const playbook = `- name: demo
  hosts: all
  tasks:
    - name: launch
      command: sleep {{ secs | default(3) }}
      async: 60
      poll: 0
      register: job
    - name: wait
      async_status:
        jid: "{{ job.ansible_job_id }}"
      register: r
      until: r.finished
      retries: 30
      when:
        - job is defined
        - "'web' in group_names"
    - debug:
        msg: "{% if a %}yes{% endif %} {# note #}"
      changed_when: false
      failed_when: "r.rc != 0 and 'err' in r.stderr"
    - copy: content="until: not a keyword here"
      vars:
        plain: text`;

describe('Ansible grammar', () => {
  it('scopes the whole document as source.ansible over the YAML grammar', () => {
    const lines = tokenize(playbook);
    assert.equal(scopesOf(lines, 0, 'name')[0], 'source.ansible');
    assert.ok(scopesOf(lines, 23, 'text').includes('string.unquoted.plain.out.yaml'), 'plain YAML values keep the YAML scopes');
  });

  it('highlights {{ }} expressions with filters inside plain and quoted YAML strings', () => {
    const lines = tokenize(playbook);
    assert.ok(scopesOf(lines, 4, '{{').includes('punctuation.section.embedded.begin.jinja'));
    assert.ok(scopesOf(lines, 4, 'secs').includes('meta.embedded.expression.jinja'));
    assert.ok(scopesOf(lines, 4, 'default').includes('support.function.filter.jinja'));
    assert.ok(scopesOf(lines, 4, '3').includes('constant.numeric.jinja'));
    assert.ok(!scopesOf(lines, 4, 'sleep ').includes('meta.embedded.expression.jinja'), 'text before {{ is not Jinja');
    assert.ok(scopesOf(lines, 10, 'ansible_job_id').includes('variable.other.property.jinja'));
    assert.ok(scopesOf(lines, 10, 'ansible_job_id').includes('string.quoted.double.yaml'), 'still inside the YAML string');
  });

  it('highlights {% %} statements and {# #} comments', () => {
    const lines = tokenize(playbook);
    assert.ok(scopesOf(lines, 18, 'if').includes('keyword.control.jinja'));
    assert.ok(scopesOf(lines, 18, 'endif').includes('keyword.control.jinja'));
    assert.ok(scopesOf(lines, 18, '{#').includes('comment.block.jinja'));
  });

  it('reads when/until/failed_when/changed_when values as Jinja, including lists and quoted values', () => {
    const lines = tokenize(playbook);
    assert.ok(scopesOf(lines, 12, 'until').includes('keyword.control.conditional.ansible'));
    assert.ok(scopesOf(lines, 12, 'finished').includes('variable.other.property.jinja'));
    assert.ok(scopesOf(lines, 15, 'is').includes('keyword.operator.jinja'));
    assert.ok(scopesOf(lines, 15, 'defined').includes('support.function.test.jinja'));
    assert.ok(scopesOf(lines, 16, 'in').includes('keyword.operator.logical.jinja'));
    assert.ok(scopesOf(lines, 16, "'").includes('string.quoted.single.jinja'));
    assert.ok(scopesOf(lines, 19, 'false').includes('constant.language.jinja'));
    assert.ok(scopesOf(lines, 20, '!=').includes('keyword.operator.jinja'));
    assert.ok(scopesOf(lines, 20, 'stderr').includes('variable.other.property.jinja'));
  });

  it('ends a conditional value where the next key begins', () => {
    const lines = tokenize(playbook);
    const retries = scopesOf(lines, 13, 'retries');
    assert.ok(!retries.includes('meta.conditional.ansible'), `retries after until: ${retries.join(' ')}`);
    assert.ok(retries.includes('keyword.other.ansible'));
    assert.ok(scopesOf(lines, 13, '30').includes('constant.numeric.integer.decimal.yaml'), 'its value is YAML again');
  });

  it('marks Ansible keywords but not module names or text that only looks like a keyword', () => {
    const lines = tokenize(playbook);
    for (const [line, key] of [[1, 'hosts'], [2, 'tasks'], [5, 'async'], [6, 'poll'], [7, 'register']]) {
      assert.ok(scopesOf(lines, line, key).includes('keyword.other.ansible'), key);
    }
    assert.ok(!scopesOf(lines, 9, 'async_status').includes('keyword.other.ansible'));
    assert.ok(lines[21].every((t) => !t.scopes.includes('keyword.control.conditional.ansible')), 'until: inside a string value');
  });
});
