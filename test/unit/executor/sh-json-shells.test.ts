/**
 * The sh JSON/time helpers run for real under dash (the portable awk/date versions) and bash (the fork-free
 * versions): for every input both must print the same bytes, and that output must be the JSON Ansible would hold.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASH_JSON_LIMIT, BASH_JSON_MAX_TRAILING_NEWLINES, SH_JSON_FUNCTIONS } from '../../../runtime/modules/sh/json';

const DASH = '/bin/dash';
const BASH = '/bin/bash';
const STRACE = '/usr/bin/strace';

/** how each shell runs the helpers: dash plain; bash plain, as the job stream runs it (POSIX mode, -eu), and in UTF-8 */
const VARIANTS: { name: string; shell: string; prelude: string; env?: Record<string, string> }[] = [
  { name: 'dash', shell: DASH, prelude: '' },
  { name: 'bash', shell: BASH, prelude: '' },
  { name: 'bash posix -eu', shell: BASH, prelude: 'set -o posix; set -eu' },
  { name: 'bash utf-8', shell: BASH, prelude: '', env: { LC_ALL: 'C.UTF-8' } },
];

const lf = 0x0a;
const cr = 0x0d;
const bytes = (...values: number[]) => Buffer.from(values);
const text = (value: string) => Buffer.from(value, 'utf8');
const base64Lines = (size: number) => {
  const lines: string[] = [];
  for (let i = 0, n = 0; n < size; i++) {
    const line = Buffer.from(`line ${i} `.repeat(8)).toString('base64');
    lines.push(line);
    n += line.length + 1;
  }
  return Buffer.from(lines.join('\n')).subarray(0, size);
};

/** inputs by name, among them some that the bash versions hand to awk (see goesToAwk) */
const CORPUS: Record<string, Buffer> = {
  empty: Buffer.alloc(0),
  'one line': text('hello world\n'),
  'no trailing newline': text('no newline at the end'),
  'trailing newlines': text('a\n\n\n'),
  'only newlines': text('\n\n\n'),
  '8 trailing newlines': text(`eight${'\n'.repeat(8)}`),
  '9 trailing newlines': text(`nine${'\n'.repeat(9)}`),
  'many trailing newlines': text(`many\n\nlines${'\r\n'.repeat(3)}${'\n'.repeat(200)}`),
  'empty lines inside': text('\n\nmiddle\n\n\nend\n\n'),
  crlf: text('one\r\ntwo\r\n\r\n'),
  'cr at the end': text('x\r'),
  'cr cr lf': text('a\r\r\nb\r'),
  tabs: text('col1\tcol2\t\n\tindented\n'),
  'quotes and backslashes': text('say "hi" \\ C:\\path\\to\\n \\"quoted\\" \\\\\n'),
  'control bytes 1-31 and 127': bytes(...Array.from({ length: 31 }, (_, i) => i + 1), 0x7f, 0x41, lf),
  'control bytes one per line': Buffer.concat(Array.from({ length: 31 }, (_, i) => bytes(0x61, i + 1, 0x62, lf))),
  'bash quoting bytes 0x01 and 0x7f next to quotes': bytes(0x01, 0x22, 0x01, 0x5c, 0x7f, 0x01, 0x01, 0x7f, 0x7f, 0x22),
  'replacement and glob characters': text('a & b && \\& %s %d $(echo no) `no` * ? [ab] ${x} \\u0001 \'single\'\n'),
  'utf-8 text': text('ünïcødé 日本語 😀 ©\n'),
  'invalid utf-8': bytes(0xff, 0xfe, 0x41, 0xc3, 0x28, 0x80, lf, 0xe2, 0x82, lf, 0xed, 0xa0, 0x80, 0xc0, 0xaf),
  'long line': text(`${'x"y\\z\t'.repeat(5000)}end`),
  'just under the limit': base64Lines(BASH_JSON_LIMIT),
  'just over the limit': base64Lines(BASH_JSON_LIMIT + 1),
  '100 KiB': Buffer.concat([base64Lines(100 * 1024 - 3), text('"\\\t')]),
  'nul bytes': bytes(0x61, 0x00, 0x62, lf, 0x00, lf, 0x63, 0x5c, 0x00, 0x22, lf),
};

const hasNul = (data: Buffer) => data.includes(0);

/** the JSON value of one printed record, or an error naming the input */
function parsed(name: string, record: Buffer): unknown {
  try {
    return JSON.parse(record.toString('utf8'));
  } catch (error) {
    throw new Error(`${name}: not JSON (${(error as Error).message}): ${record.toString('latin1').slice(0, 200)}`);
  }
}

/** what the bash versions hand to awk: NUL bytes, more than the limit, a long run of final newlines */
const goesToAwk = (data: Buffer) => hasNul(data) || data.length > BASH_JSON_LIMIT || data.length - rstripNewlines(data).length > BASH_JSON_MAX_TRAILING_NEWLINES;

/** Ansible's stdout: trailing newlines stripped (the file helper's contract; a \r before them stays) */
function rstripNewlines(data: Buffer): Buffer {
  let end = data.length;
  while (end > 0 && data[end - 1] === lf) end--;
  return data.subarray(0, end);
}

/** the lines helper's contract: one final newline ends the last line, each line loses one trailing \r */
function lines(data: Buffer): string[] {
  if (data.length === 0) return [];
  const body = data[data.length - 1] === lf ? data.subarray(0, -1) : data;
  const parts: Buffer[] = [];
  for (let start = 0; ; ) {
    const at = body.indexOf(lf, start);
    parts.push(body.subarray(start, at < 0 ? body.length : at));
    if (at < 0) break;
    start = at + 1;
  }
  return parts.map((line) => (line[line.length - 1] === cr ? line.subarray(0, -1) : line).toString('utf8'));
}

/** the string helper's contract: the value as given, less one final newline (awk's record separator) */
const oneNewlineLess = (data: Buffer) => (data[data.length - 1] === lf ? data.subarray(0, -1) : data);

function run(variant: (typeof VARIANTS)[number], script: string, args: string[] = [], extraEnv: Record<string, string> = {}) {
  const result = spawnSync(variant.shell, ['-c', `${variant.prelude}\n${SH_JSON_FUNCTIONS}\n${script}`, 'sh', ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', ...variant.env, ...extraEnv },
    maxBuffer: 64 * 1024 * 1024,
    // stdin from /dev/null: on a socket (libuv's pipes) bash would read ~/.bashrc as if started by sshd
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

/** one record per line: the helpers never print a raw newline (it is always escaped) */
const records = (stdout: Buffer) => stdout.toString('latin1').split('\n').slice(0, -1).map((r) => Buffer.from(r, 'latin1'));

let dir: string;
const names = Object.keys(CORPUS);
const pathOf = (name: string) => join(dir, `${names.indexOf(name)}.in`);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sh-json-shells-'));
  for (const name of names) writeFileSync(pathOf(name), CORPUS[name]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sh JSON helpers under dash and bash', () => {
  const fileScript = `for f; do ps_json_file "$f"; printf '\\n'; ps_json_lines_file "$f"; printf '\\n'; done; printf '%s\\n' "\${LC_ALL-unset}"`;
  // the value is read with its trailing newlines (a bare $(cat) would drop them); NUL cannot be in a shell value
  const strScript = `for f; do s=$(cat -- "$f"; printf x); ps_json_str "\${s%x}"; printf '\\n'; done`;

  it('ps_json_file and ps_json_lines_file print the same bytes in every shell, and the JSON is the input', () => {
    const files = names.map(pathOf);
    const outputs = VARIANTS.map((variant) => ({ variant, ...run(variant, fileScript, files) }));
    for (const { variant, status, stderr } of outputs) expect({ variant: variant.name, status, stderr }).toEqual({ variant: variant.name, status: 0, stderr: '' });
    const reference = records(outputs[0].stdout);
    expect(reference).toHaveLength(names.length * 2 + 1);
    for (const { variant, stdout } of outputs.slice(1)) {
      const got = records(stdout);
      names.forEach((name, i) => {
        expect({ variant: variant.name, name, file: got[2 * i].toString('latin1') }).toEqual({ variant: variant.name, name, file: reference[2 * i].toString('latin1') });
        expect({ variant: variant.name, name, lines: got[2 * i + 1].toString('latin1') }).toEqual({ variant: variant.name, name, lines: reference[2 * i + 1].toString('latin1') });
      });
      // the helpers switch to the C locale only for themselves
      expect(got[names.length * 2].toString()).toBe(variant.env?.LC_ALL ?? 'unset');
    }
    names.forEach((name, i) => {
      expect({ name, value: parsed(name, reference[2 * i]) }).toEqual({ name, value: rstripNewlines(CORPUS[name]).toString('utf8') });
      expect({ name, value: parsed(name, reference[2 * i + 1]) }).toEqual({ name, value: lines(CORPUS[name]) });
    });
  });

  it('ps_json_str prints the same bytes in every shell, and the JSON is the value', () => {
    const strNames = names.filter((name) => !hasNul(CORPUS[name]));
    const outputs = VARIANTS.map((variant) => ({ variant, ...run(variant, strScript, strNames.map(pathOf)) }));
    for (const { variant, status, stderr } of outputs) expect({ variant: variant.name, status, stderr }).toEqual({ variant: variant.name, status: 0, stderr: '' });
    const reference = records(outputs[0].stdout);
    expect(reference).toHaveLength(strNames.length);
    for (const { variant, stdout } of outputs.slice(1)) {
      const got = records(stdout);
      strNames.forEach((name, i) => expect({ variant: variant.name, name, str: got[i].toString('latin1') }).toEqual({ variant: variant.name, name, str: reference[i].toString('latin1') }));
    }
    strNames.forEach((name, i) => expect({ name, value: parsed(name, reference[i]) }).toEqual({ name, value: oneNewlineLess(CORPUS[name]).toString('utf8') }));
  });

  it('under bash the helpers start no program for what they can do exactly (awk and date are out of reach)', () => {
    const fast = names.filter((name) => !goesToAwk(CORPUS[name]));
    const script = `${fileScript}\nps_json_str 'a"b'; ps_stamp t; case $t in ????-??-??\\ ??:??:??.??????) printf ' stamp ok' ;; esac`;
    const withTools = run(VARIANTS[0], script, fast.map(pathOf));
    const noTools = run(VARIANTS[1], script, fast.map(pathOf), { PATH: join(dir, 'no-such-dir') });
    expect(noTools.stderr).toBe('');
    expect(noTools.stdout.toString('latin1')).toBe(withTools.stdout.toString('latin1'));
    expect(noTools.stdout.toString()).toMatch(/"a\\"b" stamp ok$/);
    // dash needs awk for the same work: without it the output is wrong, so the comparison above can fail
    expect(run(VARIANTS[0], script, fast.map(pathOf), { PATH: join(dir, 'no-such-dir') }).stdout.toString()).not.toBe(withTools.stdout.toString());
  });
});

/** clone/fork calls (a subshell or a program start) counted by strace, or undefined when strace cannot trace here */
function forksUnderStrace(shell: string, script: string): number | undefined {
  const result = spawnSync(STRACE, ['-f', '-e', 'trace=clone,clone3,fork,vfork', '-o', join(dir, 'strace.out'), shell, '-c', `${SH_JSON_FUNCTIONS}\n${script}`], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0) return undefined;
  const trace = spawnSync('cat', [join(dir, 'strace.out')], { encoding: 'utf8' }).stdout;
  return trace.split('\n').filter((line) => /\b(clone3?|v?fork)\(/.test(line)).length;
}

const straceWorks = existsSync(STRACE) && spawnSync(STRACE, ['-f', '-o', '/dev/null', 'true']).status === 0;

describe('ps_stamp under dash and bash', () => {
  const STAMP = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})$/;
  /** a stamp in a zone 5:30 east of UTC (POSIX TZ, no tzdata needed) as epoch milliseconds */
  const epochOf = (stamp: string) => {
    const m = STAMP.exec(stamp);
    if (!m) throw new Error(`not a stamp: ${stamp}`);
    const [y, mo, d, h, mi, s, us] = m.slice(1).map(Number);
    return Date.UTC(y, mo - 1, d, h, mi, s, us / 1000) - 5.5 * 3600_000;
  };

  it('gives local time with microseconds, the same in both shells', () => {
    const before = Date.now();
    const stamps = [VARIANTS[0], VARIANTS[1], VARIANTS[2]].map((variant) => {
      const { stdout, stderr } = run(variant, 'ps_stamp t; printf %s "$t"', [], { TZ: 'IST-5:30' });
      expect(stderr).toBe('');
      return stdout.toString();
    });
    const after = Date.now();
    for (const stamp of stamps) {
      expect(stamp).toMatch(STAMP);
      // local time, not UTC: the stamp lies within the wall-clock window of the runs
      expect(epochOf(stamp)).toBeGreaterThanOrEqual(before - 1000);
      expect(epochOf(stamp)).toBeLessThanOrEqual(after + 1000);
    }
    expect(Math.abs(epochOf(stamps[0]) - epochOf(stamps[1]))).toBeLessThan(after - before + 1000);
  });

  it('under bash takes seconds and microseconds from one clock reading, whatever the decimal mark', () => {
    // once unset, EPOCHREALTIME is an ordinary variable: the reading is pinned to 2023-11-14 22:13:20.999999 UTC
    const script = 'unset EPOCHREALTIME; EPOCHREALTIME=1700000000.999999; ps_stamp a; EPOCHREALTIME=1700000000,000001; ps_stamp b; printf "%s|%s" "$a" "$b"';
    for (const variant of [VARIANTS[1], VARIANTS[2]]) {
      const { stdout, stderr } = run(variant, script, [], { TZ: 'IST-5:30' });
      expect(stderr).toBe('');
      expect(stdout.toString()).toBe('2023-11-15 03:43:20.999999|2023-11-15 03:43:20.000001');
    }
    // and the delta between two stamps, in shell arithmetic, crosses midnight
    const { stdout: delta } = run(VARIANTS[1], 'ps_delta "2026-01-01 23:59:59.999999" "2026-01-02 00:00:01.000001" d; printf %s "$d"');
    expect(delta.toString()).toBe('0:00:01.000002');
  });

  it.skipIf(!straceWorks)('under bash forks nothing for stamps and JSON (counted with strace; dash forks for each)', () => {
    const script = `ps_stamp a; ps_json_str 'x"y'; ps_json_file ${JSON.stringify(pathOf('control bytes one per line'))}; ps_json_lines_file ${JSON.stringify(pathOf('crlf'))}; ps_stamp b; ps_delta "$a" "$b" d`;
    expect(forksUnderStrace(DASH, script)).toBeGreaterThanOrEqual(5);
    expect(forksUnderStrace(BASH, script)).toBe(0);
  });
});
