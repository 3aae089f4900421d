import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { serialBatches } from '../../../runtime/executor/batches';
import { ansibleDelta, censor, pythonJson, registeredValue } from '../../../runtime/executor/results';
import { RunStats } from '../../../runtime/executor/stats';
import { tagsSelected } from '../../../runtime/executor/tags';
import { shlexSplit } from '../../../runtime/text/shlex';
import { SH_JSON_FUNCTIONS } from '../../../runtime/modules/sh/json';
import { AnsiblePrinter, banner } from '../../../runtime/output/printer';
import { pythonRepr } from '../../../runtime/output/python-repr';
import { parseExtraVars } from '../../../runtime/vars/extra-vars';

describe('result helpers', () => {
  it('prints JSON like Python json.dumps(sort_keys=True)', () => {
    expect(pythonJson({ b: 1, a: ['x', { d: null, c: true }], e: 1.5, f: '"q"' })).toBe('{"a": ["x", {"c": true, "d": null}], "b": 1, "e": 1.5, "f": "\\"q\\""}');
    expect(pythonJson({ r: { z: [], y: {} } }, 4)).toBe('{\n    "r": {\n        "y": {},\n        "z": []\n    }\n}');
  });

  it('register drops internal keys and the top-level invocation, keeps item invocations', () => {
    expect(registeredValue({ changed: true, _ansible_no_log: false, invocation: { module_args: {} }, results: [{ invocation: 1 }] })).toEqual({ changed: true, results: [{ invocation: 1 }] });
  });

  it('register adds no keys: a loop result has no `failed` and a pre-action failure no `changed` (truth cases 23, 16)', () => {
    expect(registeredValue({ changed: false, msg: 'All items completed', results: [], skipped: false })).toEqual({ changed: false, msg: 'All items completed', results: [], skipped: false });
    expect(registeredValue({ failed: true, msg: 'bad delay' })).toEqual({ failed: true, msg: 'bad delay' });
  });

  it('censors no_log results but keeps the status keys', () => {
    expect(censor({ changed: true, stdout: 'secret', failed: false })).toEqual({ censored: "the output has been hidden due to the fact that 'no_log: true' was specified for this result", changed: true, failed: false });
  });

  it('formats deltas like Python timedelta', () => {
    expect(ansibleDelta(3_723_004.5)).toBe('1:02:03.004500');
  });
});

describe('recap counting and exit codes', () => {
  it('ignored failures count as ok and ignored; unreachable wins the exit code', () => {
    const stats = new RunStats();
    stats.ignored('h1', true);
    stats.ok('h1', false);
    expect(stats.snapshot().h1).toEqual({ ok: 2, changed: 1, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 1 });
    expect(stats.exitCode()).toBe(0);
    stats.failed('h2');
    expect(stats.exitCode()).toBe(2);
    stats.unreachable('h3');
    expect(stats.exitCode()).toBe(4);
  });
});

describe('tags', () => {
  it('applies always, never, tagged, untagged and skip-tags', () => {
    expect(tagsSelected([], [], [])).toBe(true);
    expect(tagsSelected(['never'], [], [])).toBe(false);
    expect(tagsSelected(['never', 'x'], ['x'], [])).toBe(true);
    expect(tagsSelected(['always'], ['x'], [])).toBe(true);
    expect(tagsSelected(['always'], [], ['always'])).toBe(false);
    expect(tagsSelected([], ['untagged'], [])).toBe(true);
    expect(tagsSelected(['a'], ['tagged'], ['a'])).toBe(false);
  });
});

describe('serial batches', () => {
  it('splits by numbers, percentages and lists (last value repeats)', () => {
    const hosts = ['a', 'b', 'c', 'd', 'e'];
    expect(serialBatches(hosts, 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(serialBatches(hosts, '40%')).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(serialBatches(hosts, [1, '50%'])).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
    expect(serialBatches(hosts, '10%')).toEqual([['a'], ['b'], ['c'], ['d'], ['e']]);
    expect(() => serialBatches(hosts, 'lots')).toThrow(/serial must be/);
  });
});

describe('command line splitting (shlex)', () => {
  it('groups quoted words and expands nothing', () => {
    expect(shlexSplit(`echo "hello $(x)" 'a b' c\\ d`)).toEqual(['echo', 'hello $(x)', 'a b', 'c d']);
    expect(shlexSplit('a # b')).toEqual(['a', '#', 'b']);
    expect(() => shlexSplit('echo "open')).toThrow(/No closing quotation/);
    // inside "..." Python's shlex only honours \" and \\ (not the shell's \$ or \`); outside, \<newline> is a newline
    expect(shlexSplit('"a\\$b" "c\\`d" e\\\nf')).toEqual(['a\\$b', 'c\\`d', 'e\nf']);
  });
});

describe('sh JSON helpers (run by the target shell)', () => {
  it('escape any text into valid JSON strings and lines', () => {
    const samples = ['plain', 'quote " and \\ backslash', 'tab\tand\u0001ctl', 'ünïcødé', "it's"];
    for (const text of samples) {
      const out = execFileSync('sh', ['-c', `${SH_JSON_FUNCTIONS}\nps_json_str "$1"`, 'sh', text], { encoding: 'utf8' });
      expect(JSON.parse(out)).toBe(text);
    }
  });
});

describe('printer', () => {
  it('prints banners, results and the recap like the default callback', () => {
    let out = '';
    const printer = new AnsiblePrinter({ out: (t) => (out += t), err: () => undefined, color: false });
    const base = { seq: 1, time: '', run: 'r' };
    printer.handle({ ...base, event: 'playbook_on_task_start', play: 'p', playId: 'p1', task: 'debug it', taskId: 't1', action: 'debug' });
    printer.handle({ ...base, event: 'runner_on_ok', taskId: 't1', task: 'debug it', host: 'h1', result: { changed: false, msg: 'hi', _ansible_verbose_always: true } });
    // a failed debug result keeps only msg, like Ansible's _clean_results
    printer.handle({ ...base, event: 'runner_on_failed', taskId: 't1', task: 'debug it', host: 'h2', result: { changed: false, failed: true, msg: 'no' }, ignoreErrors: true });
    printer.handle({ ...base, event: 'runner_retry', taskId: 't1', task: 'debug it', host: 'h1', attempts: 1, retries: 4, delay: 5, result: {} });
    printer.handle({ ...base, event: 'playbook_on_stats', rc: 0, stats: { h1: { ok: 1, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 } } });
    expect(out).toBe(
      `\n${banner('TASK [debug it]')}\nok: [h1] => {\n    "msg": "hi"\n}\nfatal: [h2]: FAILED! => {"msg": "no"}\n...ignoring\n` +
        'FAILED - RETRYING: [h1]: debug it (3 retries left).\n' +
        `\n${banner('PLAY RECAP')}\nh1                         : ok=1    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   \n\n`,
    );
    expect(banner('TASK [x]')).toHaveLength(80);
  });

  it('shows loop labels as Python reprs', () => {
    expect(pythonRepr({ key: 'x', value: [1, true, null] })).toBe("{'key': 'x', 'value': [1, True, None]}");
  });
});

describe('extra vars', () => {
  it('reads k=v, JSON and YAML; later wins', () => {
    expect(parseExtraVars(['a=1 b="two words"', '{"a": 2, "c": [1]}'])).toEqual({ a: 2, b: 'two words', c: [1] });
    expect(() => parseExtraVars(['novalue'])).toThrow(/key=value/);
  });
});
