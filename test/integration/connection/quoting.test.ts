import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { shellJoin, shellQuote } from '../../../runtime/connection/quote';
import { sshd } from '../../host/sshd';
import { testPool, uniqueRemotePath } from './helpers';

const pool = testPool();
afterAll(() => pool.closeAll());

const hostile = [
  '$(touch pwned)',
  '`touch pwned`',
  "it's; touch pwned",
  '"; touch pwned; echo "',
  'line1\ntouch pwned\nline3',
  '$HOME ${HOME} $((1+1)) * ? [a] ~ !! & | > < ( ) { } \\',
  '',
  '--',
  '-n',
  ' leading and trailing ',
  'ünïcødé ✓',
  "'",
  "''",
];

describe('shellQuote + exec on the real sshd', () => {
  it('passes every hostile argument through unchanged and runs nothing', async () => {
    const dir = uniqueRemotePath('quoting');
    mkdirSync(dir);
    try {
      const connection = pool.get({ host: sshd().hosts[0] });
      for (const arg of hostile) {
        // printf prints the argument back byte for byte; cd into an empty folder so a stray `touch pwned` would show
        const result = await connection.exec(`cd ${shellQuote(dir)} && printf '%s' ${shellQuote(arg)}`);
        expect(result.rc, arg).toBe(0);
        expect(result.stdout, arg).toBe(arg);
      }
      const argv = await connection.exec(`cd ${shellQuote(dir)} && printf '[%s]' ${shellJoin(hostile)}`);
      expect(argv.stdout).toBe(hostile.map((a) => `[${a}]`).join(''));
      expect(readdirSync(dir)).toEqual([]);
      expect(existsSync(`${sshd().home}/pwned`)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('quotes the command given to sudo for become as well', async () => {
    const dir = uniqueRemotePath('quoting-become');
    mkdirSync(dir);
    try {
      const connection = pool.get({ host: sshd().hosts[0] });
      const result = await connection.exec(`cd ${shellQuote(dir)} && printf '[%s]' ${shellJoin(hostile)}`, { becomeUser: 'root' });
      expect(result.becomeFailure).toBeUndefined();
      expect(result.stdout).toBe(hostile.map((a) => `[${a}]`).join(''));
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
