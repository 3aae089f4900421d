/** Pure pieces of the async engine: argument errors (case 07), watchdog timing (cases 03/09), shapes, scripts. */
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { validateAsyncStatusArgs } from '../../../runtime/async/async-status';
import { environmentPrelude } from '../../../runtime/async/launch';
import { killScript, launcherScript, statusScript, watchScript } from '../../../runtime/async/remote-scripts';
import { watchStreamCommand, watchStreamScript } from '../../../runtime/async/stream-script';
import { flag, splitLines } from '../../../runtime/async/shapes';
import { watchdogLimitSeconds } from '../../../runtime/async/watchdog';
import { parseJobsArgs } from '../../../cli/jobs/args';

describe('async_status argument errors, verbatim from case 07', () => {
  const failure = (msg: string) => ({ changed: false, exception: 'NoneType: None\n', failed: true, msg });
  test('missing jid', () => expect(validateAsyncStatusArgs({})).toEqual(failure('missing required arguments: jid')));
  test('bad mode', () => expect(validateAsyncStatusArgs({ jid: 'j1.1', mode: 'kill' })).toEqual(failure('value of mode must be one of: status, cleanup, got: kill')));
  test('unknown option', () =>
    expect(validateAsyncStatusArgs({ jid: 'j1.1', foo: 'bar' })).toEqual(
      failure('Unsupported parameters for (ansible_collections.ansible.builtin.plugins.action.async_status) module: foo. Supported parameters include: jid, mode.'),
    ));
  test('valid: mode defaults to status, jid kept as written', () => {
    expect(validateAsyncStatusArgs({ jid: '../nonexistent' })).toEqual({ jid: '../nonexistent', mode: 'status' });
    expect(validateAsyncStatusArgs({ jid: 12, mode: 'cleanup' })).toEqual({ jid: '12', mode: 'cleanup' });
  });
});

test('watchdog kills at 5 * (1 + ceil(async / 5)) s, never before 10 s', () => {
  expect([1, 5, 6, 7, 10, 11, 60, -5].map(watchdogLimitSeconds)).toEqual([10, 10, 15, 15, 15, 20, 65, 10]);
});

test('2.14 ints vs 2.19 booleans', () => {
  expect([flag('2.14', true), flag('2.18', false), flag('2.19', true), flag('2.19.1', false)]).toEqual([1, 0, true, false]);
});

test('stdout_lines split like Python splitlines()', () => {
  expect(splitLines('')).toEqual([]);
  expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
  expect(splitLines('a\r\nb\rc')).toEqual(['a', 'b', 'c']);
  expect(splitLines('a\n\nb')).toEqual(['a', '', 'b']);
});

test('environment prelude quotes values and skips names sh cannot export', () => {
  const prelude = environmentPrelude({ FOO: "it's $HOME `x`", 'BAD-NAME': 'x' });
  expect(prelude).toBe("export FOO='it'\\''s $HOME `x`'\n");
  const echoed = execFileSync('sh', ['-c', `${prelude}printf %s "$FOO"`], { encoding: 'utf8' });
  expect(echoed).toBe("it's $HOME `x`");
});

test.each([
  ['launcher', launcherScript()],
  ['status', statusScript()],
  ['watcher', watchScript()],
  ['kill', killScript()],
  ['stream starter', watchStreamCommand('~/.ansible_async')],
])('the %s script is valid POSIX sh (dash -n)', (_name, script) => {
  expect(() => execFileSync('dash', ['-n', '-c', script])).not.toThrow();
});

test('the watch stream script is valid bash (bash -n)', () => {
  expect(() => execFileSync('bash', ['-n', '-c', watchStreamScript()])).not.toThrow();
});

describe('jobs command arguments', () => {
  test('errors are messages', () => {
    expect(parseJobsArgs([])).toBe('missing subcommand');
    expect(parseJobsArgs(['kill', 'j'])).toBe("unknown subcommand 'kill'");
    expect(parseJobsArgs(['attach'])).toMatch(/^missing JOURNAL/);
    expect(parseJobsArgs(['attach', 'j', '--poll', 'x'])).toBe('--poll needs a positive number of seconds');
    expect(parseJobsArgs(['attach', 'j', '--frob'])).toBe("unknown option '--frob'");
  });
  test('options', () => {
    expect(parseJobsArgs(['attach', 'events.jsonl', '--no-instant-joins', '--poll', '2', '--json'])).toMatchObject({ action: 'attach', journal: 'events.jsonl', instantJoins: false, pollSeconds: 2, json: true });
  });
});
