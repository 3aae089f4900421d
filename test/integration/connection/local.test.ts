import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalConnection } from '../../../runtime/connection/local';
import { shellJoin, shellQuote } from '../../../runtime/connection/quote';
import { hasSudo, localTempDir } from './helpers';

const local = new LocalConnection();

describe('LocalConnection', () => {
  it('runs /bin/sh -c with rc, stdout, stderr and stdin', async () => {
    expect(await local.exec('echo out; echo err >&2; exit 4')).toEqual({ rc: 4, stdout: 'out\n', stderr: 'err\n' });
    expect((await local.exec('tr a-z A-Z', { stdin: 'shout ✓' })).stdout).toBe('SHOUT ✓');
    expect(local.host).toBe('localhost');
  });

  it('quoted hostile arguments run nothing', async () => {
    const dir = localTempDir('local-quote');
    const args = ['$(touch pwned)', '`touch pwned`', "'; touch pwned; '", 'a\ntouch pwned'];
    const result = await local.exec(`cd ${shellQuote(dir)} && printf '[%s]' ${shellJoin(args)}`);
    expect(result.stdout).toBe(args.map((a) => `[${a}]`).join(''));
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
  });

  it('abort kills the whole process group', async () => {
    const dir = localTempDir('local-abort');
    const controller = new AbortController();
    const running = local.exec(`(sleep 30; touch ${shellQuote(join(dir, 'late'))}) & echo $! > ${shellQuote(join(dir, 'pid'))}; wait`, { signal: controller.signal });
    while (!existsSync(join(dir, 'pid')) || readFileSync(join(dir, 'pid'), 'utf8').trim() === '') await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await expect(running).rejects.toThrow(/abort/i);
    const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    let alive = true;
    for (let i = 0; i < 200 && alive; i++) {
      try {
        process.kill(pid, 0);
        await new Promise((r) => setTimeout(r, 10));
      } catch {
        alive = false;
      }
    }
    expect(alive).toBe(false);
  });

  it('puts and gets files, with mode', async () => {
    const path = join(localTempDir('local-files'), 'f');
    await local.putFile(path, Buffer.from([0, 1, 2, 255]), 0o604);
    expect(statSync(path).mode & 0o777).toBe(0o604);
    expect([...(await local.getFile(path))]).toEqual([0, 1, 2, 255]);
  });

  it('become via sudo (or a clear message when sudo is missing)', async () => {
    const result = await local.exec('id -un', { becomeUser: 'nobody' });
    if (!hasSudo()) {
      expect(result.becomeFailure).toMatch(/sudo is not installed/);
      return;
    }
    expect(result.becomeFailure).toBeUndefined();
    expect(result.stdout).toBe('nobody\n');
  });
});
