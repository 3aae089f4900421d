/** The command-line scan behind command-shell-syntax: only unquoted operators outside Jinja count. */
import { describe, expect, it } from 'vitest';
import { shellOperators } from '../../../server/analysis/rules/command-shell-syntax';

const ops = (line: string) => shellOperators(line).map((o) => [o.text, o.offset]);

describe('shellOperators', () => {
  it('finds operators a shell would interpret', () => {
    expect(ops('sleep 30 && echo "done"')).toEqual([['&&', 9]]);
    expect(ops('cat /etc/passwd | grep root')).toEqual([['|', 16]]);
    expect(ops('echo hi >/tmp/x; echo $(date) `id`')).toEqual([['>', 8], [';', 15], ['$(', 22], ['`', 30]]);
    expect(ops('make 2>&1 || true')).toEqual([['2>&1', 5], ['||', 10]]);
    expect(ops('run &')).toEqual([['&', 4]]);
  });
  it('ignores quoted text, Jinja and $VAR (the command module expands environment variables itself)', () => {
    expect(ops(`echo "a | b" 'c && d'`)).toEqual([]);
    expect(ops('echo {{ x | default("a;b") }} {% if y %}z{% endif %}')).toEqual([]);
    expect(ops('echo $HOME ${USER}')).toEqual([]);
    expect(ops('grep -E "a|b" file')).toEqual([]);
    expect(ops('echo a\\;b')).toEqual([]);
  });
});
