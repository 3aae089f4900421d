/**
 * The engine's own behaviour: statements, error spans, undefined semantics, the public API (conditionals,
 * templating data, lookups, options) and the analysis the language server uses.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  analyzeExpression,
  analyzeTemplate,
  compileExpression,
  compileTemplate,
  evaluateConditional,
  isTemplated,
  knownFilters,
  knownTests,
  PyFloat,
  TemplateError,
  templateValue,
  type TemplateOptions,
} from '../../../runtime/template';

const render = (src: string, vars: Record<string, unknown> = {}, options?: TemplateOptions) => compileTemplate(src, options).render(vars);

function errorOf(f: () => unknown): TemplateError {
  try {
    f();
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error('expected a TemplateError');
}

/** the source text an error points at */
function spanText(src: string, f: () => unknown): string {
  const e = errorOf(f);
  return src.slice(e.offset, e.end);
}

describe('statements', () => {
  const users = [
    { name: 'alice', admin: true },
    { name: 'bob', admin: false },
    { name: 'carol', admin: true },
  ];

  it('if / elif / else', () => {
    const src = '{% if n > 10 %}big{% elif n > 1 %}some{% else %}few{% endif %}';
    expect([20, 5, 0].map((n) => render(src, { n }))).toEqual(['big', 'some', 'few']);
  });

  it('for with loop.* and else', () => {
    const src = '{% for u in users %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.first | int }}{{ loop.last | int }}{{ loop.length }}:{{ u.name }} {% else %}none{% endfor %}';
    expect(render(src, { users })).toBe('103103:alice 212003:bob 321013:carol ');
    expect(render(src, { users: [] })).toBe('none');
  });

  it('for over a dict iterates keys; items() unpacks pairs', () => {
    expect(render('{% for k in d %}{{ k }}{% endfor %}', { d: { a: 1, b: 2 } })).toBe('ab');
    expect(render('{% for k, v in d.items() %}{{ k }}={{ v }},{% endfor %}', { d: { a: 1, b: 2 } })).toBe('a=1,b=2,');
  });

  it('for with an inline filter counts only the kept items', () => {
    expect(render('{% for u in users if u.admin %}{{ u.name }}{{ loop.length }} {% endfor %}', { users })).toBe('alice2 carol2 ');
  });

  it('loop.cycle, previtem and nextitem', () => {
    expect(render("{% for i in [1, 2, 3] %}{{ loop.cycle('x', 'y') }}{% endfor %}")).toBe('xyx');
    expect(render('{% for i in [1, 2, 3] %}{% if not loop.last %}{{ loop.nextitem }}{% endif %}{% endfor %}')).toBe(23);
  });

  it('set at top level and inside loops (loop scope does not leak)', () => {
    expect(render('{% set a = 1 %}{% for i in [5] %}{% set a = i %}{{ a }}{% endfor %}{{ a }}', {}, { native: false })).toBe('51');
    expect(render('{% set a, b = [1, 2] %}{{ a }}-{{ b }}')).toBe('1-2');
    expect(render('{% set block %}x{{ 1 + 1 }}{% endset %}[{{ block }}]')).toBe('[x2]');
  });

  it('set does not write into the caller vars', () => {
    const vars: Record<string, unknown> = { a: 1 };
    render('{% set a = 2 %}{{ a }}', vars);
    expect(vars).toEqual({ a: 1 });
  });

  it('raw blocks and comments', () => {
    expect(render('{% raw %}{{ x }} {% if %}{% endraw %}')).toBe('{{ x }} {% if %}');
    expect(render('a{# {{ ignored }} #}b')).toBe('ab');
    expect(render('a {%- raw -%}  {{ x }}  {%- endraw -%} b')).toBe('a{{ x }}b');
  });

  it('whitespace control on both sides', () => {
    expect(render('a \n {{- 1 -}} \n b', {}, { native: false })).toBe('a1b');
    expect(render('x\n  {%- if true %}\ny{% endif -%}\n  z')).toBe('xyz');
    expect(render('x\n  {%+ if true %}\ny{% endif %}\n  z')).toBe('x\n  y  z');
  });

  it('trim_blocks by default, off on request; lstrip_blocks on request', () => {
    const src = 'a\n  {% if true %}\nb\n  {% endif %}\nc';
    expect(render(src)).toBe('a\n  b\n  c');
    expect(render(src, {}, { trimBlocks: false })).toBe('a\n  \nb\n  \nc');
    expect(render(src, {}, { lstripBlocks: true })).toBe('a\nb\nc');
  });

  it('with blocks scope their names', () => {
    expect(render('{% with a = 2 %}{{ a * 2 }}{% endwith %}{{ a | default("gone") }}')).toBe('4gone');
  });

  it('a single expression keeps its native type; text stays text', () => {
    expect(render('{{ [1, 2] }}')).toEqual([1, 2]);
    expect(render('{{ x }}', { x: { a: 1 } })).toEqual({ a: 1 });
    expect(render('n={{ 5 }}')).toBe('n=5');
    expect(render('{{ 5 }}', {}, { native: false })).toBe('5');
    expect(render('{{ [1, 2] }}', {}, { native: false })).toEqual([1, 2]);
    expect(render('{{ [1, 2] }}', {}, { asText: true })).toBe('[1, 2]');
    expect(render('{{ n }}|{{ n }}', { n: null }, { asText: true })).toBe('|');
  });

  it('ansible-core 2.19 keeps multi-part templates as text', () => {
    expect(render('{{ 1 }}{{ 2 }}')).toBe(12);
    expect(render('{{ 1 }}{{ 2 }}', {}, { coreVersion: '2.19' })).toBe('12');
    expect(render('{{ 1 + 2 }}', {}, { coreVersion: '2.19' })).toBe(3);
  });
});

describe('int and float', () => {
  it('division gives floats; integral floats reach callers as numbers', () => {
    expect(render('{{ 10 / 4 }}')).toBe(2.5);
    expect(render('{{ 4 / 2 }}')).toBe(2);
    expect(render('{{ 4 / 2 }}', {}, { keepFloats: true })).toEqual(new PyFloat(2));
    expect(render('{{ 4 / 2 }}', {}, { native: false })).toBe('2.0');
    expect(render('{{ (4 / 2) | type_debug }}')).toBe('float');
    expect(render('{{ 4 // 2 }}', {}, { native: false })).toBe('2');
  });

  it('JSON numbers: integral ones are ints, others floats', () => {
    expect(render('{{ a | type_debug }} {{ b | type_debug }}', { a: 3, b: 3.5 })).toBe('int float');
    expect(render("{{ '{\"v\": 1.0}' | from_json | to_json }}")).toBe('{"v": 1.0}');
  });
});

describe('error spans', () => {
  it('unknown filter: the filter name', () => {
    const src = 'Hello {{ name | nosuch(1) }}!';
    expect(spanText(src, () => render(src, { name: 'x' }))).toBe('nosuch');
    const e = errorOf(() => compileTemplate(src));
    expect(e.kind).toBe('filter');
    expect(e.ansibleMessage).toBe(`template error while templating string: Could not load "nosuch": 'nosuch'. String: ${src}. Could not load "nosuch": 'nosuch'`);
  });

  it('unknown test: the test name', () => {
    const src = 'x is ansible.builtin.nosuch';
    expect(spanText(src, () => compileExpression(src))).toBe('ansible.builtin.nosuch');
  });

  it('unclosed {{: from the tag to the end', () => {
    const src = 'a {{ x and b';
    const e = errorOf(() => compileTemplate(src));
    expect(e.kind).toBe('syntax');
    expect(e.message).toBe("unexpected end of template, expected 'end of print statement'.");
    expect(src.slice(e.offset, e.end)).toBe('{{ x and b');
  });

  it('bad token: the character', () => {
    expect(spanText('{{ a $ b }}', () => compileTemplate('{{ a $ b }}'))).toBe('$');
    expect(spanText('a == ;', () => compileExpression('a == ;'))).toBe(';');
  });

  it('unexpected token: the token', () => {
    const e = errorOf(() => compileExpression('a == == b'));
    expect(e.message).toBe("unexpected '=='");
    expect('a == == b'.slice(e.offset, e.end)).toBe('==');
  });

  it('mismatched bracket: the bracket; unclosed: from the opening bracket', () => {
    expect(spanText('f(a, [1, 2)', () => compileExpression('f(a, [1, 2)'))).toBe(')');
    expect(spanText('x in (1, 2', () => compileExpression('x in (1, 2'))).toBe('(1, 2');
  });

  it('unclosed block: the opening tag', () => {
    const src = 'x {% for i in l %}{{ i }}';
    const e = errorOf(() => compileTemplate(src));
    expect(e.message).toContain("looking for the following tags: 'endfor' or 'else'");
    expect(e.offset).toBe(2);
  });

  it('undefined variable and attribute: the expression that is undefined', () => {
    const src = 'line1\n{{ obj.missing.deeper }} {{ x }}';
    const e = errorOf(() => render(src, { obj: {}, x: 1 }));
    expect(e.kind).toBe('undefined');
    expect(e.message).toBe("'dict object' has no attribute 'missing'");
    expect(src.slice(e.offset, e.end)).toBe('obj.missing');
    expect(spanText('{{ nope }}', () => render('{{ nope }}'))).toBe('nope');
  });

  it('type errors: the operation', () => {
    const e = errorOf(() => render("{{ x + 'a' }}", { x: 1 }));
    expect(e.kind).toBe('type');
    expect(e.message).toBe("unsupported operand type(s) for +: 'int' and 'str'");
    expect(e.ansibleMessage).toBe(`Unexpected templating type error occurred on ({{ x + 'a' }}): ${e.message}. ${e.message}`);
    const src = "{{ 'a' ~ (x + 'b') }}";
    expect(spanText(src, () => render(src, { x: 1 }))).toBe("x + 'b'");
  });

  it('errors raised inside filters point at the filter call', () => {
    const src = "{{ x | combine('not a dict') }}";
    expect(spanText(src, () => render(src, { x: {} }))).toBe("x | combine('not a dict')");
  });
});

describe('undefined semantics', () => {
  const vars = { obj: { a: 1 }, list: [1, 2] };
  const fails = (src: string) => errorOf(() => render(src, vars)).kind;

  it('using an undefined value fails at the point of use', () => {
    for (const src of ['{{ missing }}', '{{ missing == 1 }}', '{{ missing + 1 }}', "{{ missing ~ 'a' }}", '{% if missing %}x{% endif %}', '{% for i in missing %}{% endfor %}', '{{ 1 in missing }}', '{{ missing | length }}', '{{ missing | upper }}', '{{ obj.nope | int }}', '{{ list[5] + 1 }}', '{{ missing.a.b }}']) {
      expect(fails(src), src).toBe('undefined');
    }
  });

  it('default/d, defined/undefined and mandatory may look at it', () => {
    expect(render("{{ missing | default('d') }}", vars)).toBe('d');
    expect(render("{{ missing.a.b | d('d') }}", vars)).toBe('d');
    expect(render("{{ obj.nope.deeper | default('d') }}", vars)).toBe('d');
    expect(render('{{ missing is defined }}/{{ missing.x is undefined }}', vars, { native: false })).toBe('False/True');
    expect(render('{{ list[9] is defined }}', vars)).toBe(false);
    expect(errorOf(() => render('{{ missing | mandatory }}', vars)).message).toBe("Mandatory variable 'missing'  not defined.");
    expect(errorOf(() => render("{{ missing | mandatory('give it') }}", vars)).message).toBe('give it');
  });

  it("messages are Ansible's", () => {
    expect(errorOf(() => render('{{ obj.nope }}', vars)).ansibleMessage).toBe("'dict object' has no attribute 'nope'. 'dict object' has no attribute 'nope'");
    expect(errorOf(() => render('{{ list[5] }}', vars)).message).toBe('list object has no element 5');
    expect(errorOf(() => render('{{ n.x }}', { n: null })).message).toBe("'None' has no attribute 'x'");
  });

  it('JS undefined in the vars counts as undefined, null as None', () => {
    expect(render('{{ a is defined }} {{ b is none }}', { a: undefined, b: null }, { native: false })).toBe('False True');
  });
});

describe('evaluateConditional', () => {
  const vars = { job: { finished: 1, rc: 0 }, flag: false, text: 'x == 1', x: 1 };

  it('bare expressions, booleans and empty conditions', () => {
    expect(evaluateConditional('job.finished', vars)).toBe(true);
    expect(evaluateConditional('not job.finished', vars)).toBe(false);
    expect(evaluateConditional(true, vars)).toBe(true);
    expect(evaluateConditional(false, vars)).toBe(false);
    expect(evaluateConditional('', vars)).toBe(true);
    expect(evaluateConditional('flag', vars)).toBe(false);
  });

  it('a {{ }} wrapped conditional works, and a rendered string is evaluated again', () => {
    expect(evaluateConditional('{{ job.rc == 0 }}', vars)).toBe(true);
    expect(evaluateConditional('{{ text }}', vars)).toBe(true);
  });

  it("errors carry Ansible's conditional message and the span in the source", () => {
    const e = errorOf(() => evaluateConditional('job.finished and nosuch > 1', vars));
    expect(e.message).toBe("The conditional check 'job.finished and nosuch > 1' failed. The error was: error while evaluating conditional (job.finished and nosuch > 1): 'nosuch' is undefined. 'nosuch' is undefined");
    expect('job.finished and nosuch > 1'.slice(e.offset, e.end)).toBe('nosuch');
    expect(e.kind).toBe('undefined');
  });

  it('2.19 requires a boolean result', () => {
    expect(evaluateConditional('job.rc == 0', vars, { coreVersion: '2.19' })).toBe(true);
    expect(errorOf(() => evaluateConditional('job.finished', vars, { coreVersion: '2.19' })).message).toContain('Conditionals must have a boolean result');
    expect(evaluateConditional('job.finished', vars, { coreVersion: '2.18' })).toBe(true);
  });
});

describe('templateValue', () => {
  it('templates strings at any depth and leaves the rest untouched', () => {
    const args = { jid: '{{ job.ansible_job_id }}', mode: 'status', opts: [{ n: '{{ n + 1 }}' }, 'plain'], keep: { a: 1 } };
    const out = templateValue(args, { job: { ansible_job_id: 'j1.2' }, n: 1 }) as typeof args;
    expect(out).toEqual({ jid: 'j1.2', mode: 'status', opts: [{ n: 2 }, 'plain'], keep: { a: 1 } });
    expect(out.keep).toBe(args.keep);
    expect(args.jid).toBe('{{ job.ansible_job_id }}');
  });

  it('returns the very same object when nothing is templated', () => {
    const value = { a: ['x', { b: 1 }] };
    expect(templateValue(value, {})).toBe(value);
  });

  it('string literals inside {{ }} are taken as written (escape_backslashes), unlike in the template module', () => {
    expect(templateValue("{{ 'a\\tb' }}", {})).toBe('a\\tb');
    expect(render("{{ 'a\\tb' }}", {}, { escapeBackslashes: false })).toBe('a\tb');
    expect(templateValue("{{ 'x1y' | regex_replace('(\\d)', '<\\1>') }}", {})).toBe('x<1>y');
  });
});

describe('lookups', () => {
  it('env and query', () => {
    process.env.PS_TEMPLATE_TEST_VAR = 'value1';
    expect(render("{{ lookup('env', 'PS_TEMPLATE_TEST_VAR') }}")).toBe('value1');
    expect(render("{{ query('env', 'PS_TEMPLATE_TEST_VAR', 'PS_TEMPLATE_TEST_VAR') }}")).toEqual(['value1', 'value1']);
    expect(render("{{ lookup('env', 'PS_TEMPLATE_TEST_VAR', 'PS_TEMPLATE_TEST_VAR') }}")).toBe('value1,value1');
    expect(render("{{ lookup('env', 'PS_TEMPLATE_NOT_SET_ANYWHERE') }}")).toBe('');
  });

  it('file, relative to baseDir', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-template-'));
    try {
      writeFileSync(join(dir, 'motd.txt'), 'hello\n\n');
      expect(render("{{ lookup('file', 'motd.txt') }}", {}, { baseDir: dir })).toBe('hello');
      expect(render("{{ lookup('file', path) }}", { path: join(dir, 'motd.txt') })).toBe('hello');
      expect(errorOf(() => render("{{ lookup('file', 'absent.txt') }}", {}, { baseDir: dir })).message).toContain("had an issue accessing the file 'absent.txt'");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('vars lookup', () => {
    expect(render("{{ lookup('vars', 'app_' + kind) }}", { app_web: 8080, kind: 'web' })).toBe(8080);
    expect(render("{{ lookup('vars', 'nope', default='d') }}")).toBe('d');
    expect(errorOf(() => render("{{ lookup('vars', 'nope') }}")).message).toBe('No variable found with this name: nope');
  });

  it('unsupported lookups fail clearly; registered ones work', () => {
    expect(errorOf(() => render("{{ lookup('pipe', 'date') }}")).message).toContain('lookup plugin pipe is not supported');
    const lookups = { upper: (terms: unknown[]) => terms.map((t) => String(t).toUpperCase()) };
    expect(render("{{ lookup('upper', 'a') }}-{{ q('upper', 'b', 'c') | join }}", {}, { lookups })).toBe('A-BC');
  });
});

describe('context is read in place', () => {
  it('never enumerates or copies the variables', () => {
    const touched = new Set<string>();
    let enumerations = 0;
    const target: Record<string, unknown> = { job: { finished: 1, ansible_job_id: 'j9' } };
    for (let i = 0; i < 5000; i++) target[`fact_${i}`] = i;
    const vars = new Proxy(target, {
      get(t, key) {
        if (typeof key === 'string') touched.add(key);
        return Reflect.get(t, key);
      },
      ownKeys(t) {
        enumerations++;
        return Reflect.ownKeys(t);
      },
      has(t, key) {
        return Reflect.has(t, key);
      },
    });
    expect(evaluateConditional('job.finished', vars)).toBe(true);
    expect(templateValue({ jid: '{{ job.ansible_job_id }}' }, vars)).toEqual({ jid: 'j9' });
    expect(render('{% for i in [1] %}{{ job.finished + i }}{% endfor %}', vars)).toBe(2);
    expect(enumerations).toBe(0);
    expect([...touched]).toEqual(['job']);
  });

  it('works with inherited variables (layered scopes)', () => {
    const play = { app: 'web', inventory_hostname: 'h1' };
    const task = Object.create(play) as Record<string, unknown>;
    task.item = 3;
    expect(render('{{ app }}-{{ inventory_hostname }}-{{ item }}', task)).toBe('web-h1-3');
    expect(render('{{ constructor is defined }}', task)).toBe(false);
  });

  it('hostvars of 200 hosts with 60 facts', () => {
    const hostvars: Record<string, Record<string, unknown>> = {};
    for (let h = 0; h < 200; h++) {
      const facts: Record<string, unknown> = {};
      for (let f = 0; f < 60; f++) facts[`fact_${f}`] = `${h}-${f}`;
      hostvars[`host${h}`] = facts;
    }
    const vars = { hostvars, groups: { all: Object.keys(hostvars) } };
    expect(render("{{ hostvars['host199'].fact_59 }}", vars)).toBe('199-59');
    expect(render("{{ groups.all | map('extract', hostvars, 'fact_1') | list | length }}", vars)).toBe(200);
  });
});

describe('analysis for the language server', () => {
  it('variables, filters and tests with spans; locals are not variables', () => {
    const src = "{% for u in users %}{{ u.name | upper }}{{ loop.index }}{% endfor %}{% set t = 1 %}{{ t }}{{ other | nosuch }}{{ x is version('1', '<') }}";
    const a = analyzeTemplate(src);
    expect(a.variables.map((v) => src.slice(v.offset, v.end))).toEqual(['users', 'other', 'x']);
    expect(a.variables.map((v) => v.name)).toEqual(['users', 'other', 'x']);
    expect(a.filters.map((f) => [f.name, f.known, src.slice(f.offset, f.end)])).toEqual([
      ['upper', true, 'upper'],
      ['nosuch', false, 'nosuch'],
    ]);
    expect(a.tests.map((t) => [t.name, t.known])).toEqual([['version', true]]);
    expect(a.errors.map((e) => [e.kind, src.slice(e.offset, e.end)])).toEqual([['filter', 'nosuch']]);
  });

  it('collection filters are not errors; calls of globals are not variables', () => {
    const a = analyzeExpression("x | community.general.json_query('a') | length > lookup('env', 'HOME') | int");
    expect(a.errors).toEqual([]);
    expect(a.filters.map((f) => [f.name, f.known])).toEqual([
      ['community.general.json_query', false],
      ['length', true],
      ['int', true],
    ]);
    expect(a.variables.map((v) => v.name)).toEqual(['x']);
  });

  it('one broken tag does not hide the others', () => {
    const src = '{{ a | nosuch }} {{ b + }} {{ c }}';
    const a = analyzeTemplate(src);
    expect(a.errors.map((e) => src.slice(e.offset, e.end))).toEqual(['}}', 'nosuch']);
    expect(a.variables.map((v) => v.name)).toEqual(['a', 'c']);
  });

  it('never throws', () => {
    const inputs = ['{{', '}}', '{% if %}', '{% endif %}', "{{ 'unclosed }}", '{{ ((( }}', '{{ a.0.1 }}', '{#', '{% raw %}', '{{ x | }}', '\u0000{{\u0000}}', 'a is', '1 +', '[1, 2', "{'a': }"];
    for (const s of inputs) {
      expect(() => analyzeTemplate(s)).not.toThrow();
      expect(() => analyzeExpression(s)).not.toThrow();
      expect(analyzeTemplate(s).errors.length + analyzeExpression(s).errors.length).toBeGreaterThan(0);
    }
  });
});

describe('catalogue', () => {
  it("has the filters and tests the issue lists", () => {
    const filters = 'default d bool int float string length count lower upper capitalize trim replace join split first last min max sum unique sort reverse list dict2items items2dict combine map select reject selectattr rejectattr to_json to_nice_json from_json to_yaml from_yaml regex_replace regex_search regex_findall basename dirname quote b64encode b64decode hash ternary type_debug mandatory zip flatten'.split(' ');
    const tests = 'defined undefined none succeeded success failed failure changed skipped finished started match search regex in contains string number integer float boolean mapping sequence iterable truthy falsy version sameas subset superset'.split(' ');
    expect(filters.filter((f) => !knownFilters.has(f))).toEqual([]);
    expect(tests.filter((t) => !knownTests.has(t))).toEqual([]);
  });

  it('isTemplated', () => {
    expect(['{{ x }}', 'a {% if %}', '{# c #}'].map(isTemplated)).toEqual([true, true, true]);
    expect(['plain', '{ x }', '%}'].map(isTemplated)).toEqual([false, false, false]);
  });

  it('range is bounded, as in Jinja', () => {
    expect(render('{{ range(2, 10, 3) | list }}')).toEqual([2, 5, 8]);
    expect(errorOf(() => render('{{ range(1000000) | list }}')).message).toContain('Range too big');
  });
});
