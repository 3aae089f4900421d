import { describe, expect, it } from 'vitest';
import { expandHostRange, HostRangeError, splitHostPort } from '../../../runtime/inventory/host-range';
import { parseIniValue } from '../../../runtime/inventory/python-literal';
import { shlexSplit as split } from '../../../runtime/text/shlex';

const shlexSplit = (line: string) => split(line, { comments: true });

describe('INI value coercion (Python literal_eval, else the string)', () => {
  const cases: Array<[string, unknown]> = [
    ['5', 5],
    ['-5', -5],
    ['+7', 7],
    ['0', 0],
    ['0x1f', 31],
    ['0o17', 15],
    ['0b101', 5],
    ['1_000', 1000],
    ['1.5', 1.5],
    ['1e3', 1000],
    ['.5', 0.5],
    ['08', '08'],
    ['True', true],
    ['False', false],
    ['None', null],
    ['true', 'true'],
    ['yes', 'yes'],
    ["'5'", '5'],
    ['"a b"', 'a b'],
    ['"a" \'b\'', 'ab'],
    ["'it\\'s'", "it's"],
    ['"\\u00e9\\n"', 'é\n'],
    ['[1, "x", None]', [1, 'x', null]],
    ['{"a": 1, "b": [True]}', { a: 1, b: [true] }],
    ['(1, 2)', [1, 2]],
    ['(1)', 1],
    ['{1, 2}', [1, 2]],
    ['1.2.3', '1.2.3'],
    ['10.0.0.9', '10.0.0.9'],
    ['1+2', '1+2'],
    ['hello world', 'hello world'],
    ['/usr/bin/python3', '/usr/bin/python3'],
    ['[1, 2', '[1, 2'],
    ['', ''],
    ['-', '-'],
  ];
  it.each(cases)('%s', (text, expected) => {
    expect(parseIniValue(text)).toEqual(expected);
  });
});

describe('host ranges and ports', () => {
  it('expands numeric (zero-padded), alphabetic, stepped and repeated ranges', () => {
    expect(expandHostRange('web[01:03].example.com')).toEqual(['web01.example.com', 'web02.example.com', 'web03.example.com']);
    expect(expandHostRange('db-[a:c]')).toEqual(['db-a', 'db-b', 'db-c']);
    expect(expandHostRange('n[1:10:3]')).toEqual(['n1', 'n4', 'n7', 'n10']);
    expect(expandHostRange('x[1:2]y[a:b]')).toEqual(['x1ya', 'x1yb', 'x2ya', 'x2yb']);
    expect(expandHostRange('[:2]z')).toEqual(['0z', '1z', '2z']);
    expect(expandHostRange('plain')).toEqual(['plain']);
  });

  it('rejects malformed ranges', () => {
    expect(() => expandHostRange('web[001:10]')).toThrow(HostRangeError);
    expect(() => expandHostRange('web[c:a]')).toThrow(/begin <= end/);
    expect(() => expandHostRange('web[1:]')).toThrow(/end value/);
  });

  it('splits host:port but keeps range and IPv6 colons', () => {
    expect(splitHostPort('jump:2222')).toEqual({ host: 'jump', port: 2222 });
    expect(splitHostPort('web[1:3]')).toEqual({ host: 'web[1:3]' });
    expect(splitHostPort('web[1:3]:22')).toEqual({ host: 'web[1:3]', port: 22 });
    expect(splitHostPort('fe80::1')).toEqual({ host: 'fe80::1' });
    expect(splitHostPort('[::1]:2222')).toEqual({ host: '::1', port: 2222 });
  });
});

describe('shlex split of host lines', () => {
  it('quotes, escapes and comments like Python shlex (posix, comments=True)', () => {
    expect(shlexSplit(`a "b c" 'd e' f\\ g #comment`)).toEqual(['a', 'b c', 'd e', 'f g']);
    expect(shlexSplit('pw=abc#rest')).toEqual(['pw=abc']);
    expect(shlexSplit('x="a\\"b" y=\'c"d\'')).toEqual(['x=a"b', 'y=c"d']);
    expect(shlexSplit('empty="" next')).toEqual(['empty=', 'next']);
    expect(() => shlexSplit('x="open')).toThrow('No closing quotation');
  });
});
