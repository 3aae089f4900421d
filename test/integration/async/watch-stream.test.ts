/**
 * Status reads through the persistent watcher stream answer exactly what an exec of statusScript answers:
 * content byte for byte (multi-line, no final newline, non-ASCII), empty, garbage, missing, cleanup.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { shellQuote } from '../../../runtime/connection/quote';
import { launchJob } from '../../../runtime/async/launch';
import { readJobStatus, type StatusRequest } from '../../../runtime/async/status';
import { watcherFor } from '../../../runtime/async/watcher';
import { connect, remote, sleepMs, uniqueAsyncDir } from './helpers';

const connection = connect(2);
const asyncDir = uniqueAsyncDir('stream-read');
beforeAll(() => remote(connection, `mkdir -p ${shellQuote(asyncDir)}`));
afterAll(async () => {
  await remote(connection, `rm -rf ${shellQuote(asyncDir)}`);
  await connection.close();
});

const files: Record<string, string> = {
  result: '{"rc": 0, "stdout": "h\\u00e9llo", "changed": true}\n',
  multiline: '{"started": 1,\n "finished": 0, "ansible_job_id": "x"}',
  unicode: '{"msg": "grüße ✓", "finished": 1}',
  empty: '',
  garbage: '{"sta',
};

test('stream reads equal exec reads, and actually go through the stream', async () => {
  for (const [name, content] of Object.entries(files)) await remote(connection, `printf %s ${shellQuote(content)} > ${shellQuote(`${asyncDir}/${name}`)}`);
  const watcher = watcherFor(connection, asyncDir);
  // the first ask opens the stream; wait until it answers
  let through: Promise<string> | undefined;
  for (let i = 0; i < 50 && !through; i++) {
    through = watcher.readThroughStream('result', 'status');
    if (!through) await sleepMs(100);
  }
  expect(through).toBeDefined();
  expect(await through).toBe(`DIR ${asyncDir}\nCONTENT\n${files.result}`);
  const base = { connection, asyncDir, coreVersion: '2.14', answerWithinMs: 5000 } as const;
  for (const jid of [...Object.keys(files), 'missing']) {
    const viaExec = await readJobStatus({ ...base, jid, mode: 'status' } as StatusRequest);
    const viaStream = await readJobStatus({ ...base, jid, mode: 'status', throughWatcher: true } as StatusRequest);
    expect(viaStream, jid).toEqual(viaExec);
  }
  const erased = await readJobStatus({ ...base, jid: 'garbage', mode: 'cleanup', throughWatcher: true } as StatusRequest);
  expect(erased.state).toBe('erased');
  expect((await remote(connection, `ls ${shellQuote(asyncDir)}`)).split('\n').filter(Boolean).sort()).toEqual(['empty', 'multiline', 'result', 'unicode']);
  expect((await readJobStatus({ ...base, jid: 'garbage', mode: 'cleanup', throughWatcher: true } as StatusRequest)).state).toBe('missing');
});

test('a launch through the stream gives the job the same environment, cwd and result as one through an exec', async () => {
  const dir = uniqueAsyncDir('stream-launch');
  const script = `printf '{"lc_all": "%s", "pwd": "%s", "async_dir": "%s", "user": "%s"}\\n' "\${LC_ALL-unset}" "$PWD" "$ANSIBLE_ASYNC_DIR" "$(id -un)"`;
  const launch = () => launchJob({ connection, script, asyncSeconds: 30, asyncDir: dir, coreVersion: '2.14', throughWatcher: true });
  const first = await launch(); // no stream yet: an exec (and the stream opens)
  const watcher = watcherFor(connection, dir);
  for (let i = 0; i < 50 && !watcher.readThroughStream(first.jid!, 'status'); i++) await sleepMs(100);
  const second = await launch();
  expect(first.ok && second.ok).toBe(true);
  const results = [];
  for (const jid of [first.jid!, second.jid!]) {
    let read = await readJobStatus({ connection, asyncDir: dir, jid, mode: 'status', coreVersion: '2.14' });
    for (let i = 0; i < 50 && read.state === 'running'; i++) {
      await sleepMs(100);
      read = await readJobStatus({ connection, asyncDir: dir, jid, mode: 'status', coreVersion: '2.14' });
    }
    const { lc_all, pwd, async_dir, user } = read.result;
    results.push({ lc_all, pwd, async_dir, user });
  }
  expect(results[1]).toEqual(results[0]);
  expect(results[0].async_dir).toBe(dir);
  await remote(connection, `rm -rf ${shellQuote(dir)}`);
});
