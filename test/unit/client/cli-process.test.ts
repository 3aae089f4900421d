/**
 * The child-process side of a run: JSON-lines events on stdout (split across chunks, with stray text), text on
 * stderr, and the prompt protocol (host_key_prompt → {"trust"}, secret_prompt → {"secret"}) answered on stdin.
 * The child is a real Node process speaking the CLI's protocol.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliProcess, type HostKeyPrompt, type SecretPrompt } from '../../../client/run/cliProcess';
import { JsonLineSplitter } from '../../../client/run/jsonLines';
import { RunHistory } from '../../../client/jobs/history';

const child = `
const readline = require('node:readline');
const rl = readline.createInterface({ input: process.stdin });
const answers = [];
rl.on('line', (line) => answers.push(JSON.parse(line)));
const next = () => new Promise((resolve) => { const t = setInterval(() => { if (answers.length) { clearInterval(t); resolve(answers.shift()); } }, 5); });
(async () => {
  const half = JSON.stringify({ event: 'playbook_on_start', seq: 1, time: new Date().toISOString(), run: 'x', playbook: 'p.yml', engine: 'bundled', coreVersion: '2.19', pid: process.pid });
  process.stdout.write(half.slice(0, 20));
  await new Promise((r) => setTimeout(r, 30));
  process.stdout.write(half.slice(20) + '\\nnot json\\n');
  process.stderr.write('PLAY [demo] ****\\n');
  process.stdout.write(JSON.stringify({ event: 'host_key_prompt', host: '127.0.0.1', port: 2222, keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc' }) + '\\n');
  const trust = await next();
  process.stdout.write(JSON.stringify({ event: 'secret_prompt', kind: 'passphrase', keyFile: '/k' }) + '\\n');
  const secret = await next();
  process.stdout.write(JSON.stringify({ event: 'warning', seq: 2, time: new Date().toISOString(), run: 'x', message: 'trust=' + trust.trust + ' secret=' + (secret.secret === 'hunter2') }) + '\\n');
  process.exit(trust.trust ? 0 : 4);
})();
`;

function fakeCli(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ps-cli-'));
  const path = join(dir, 'cli.js');
  writeFileSync(path, child);
  return path;
}

describe('CliProcess', () => {
  it('parses events, relays text and answers prompts on stdin', async () => {
    const events: string[] = [];
    const text: string[] = [];
    const prompts: (HostKeyPrompt | SecretPrompt)[] = [];
    const process = new CliProcess(fakeCli(), [], tmpdir(), {
      onEvent: (e) => events.push(e.event === 'warning' ? `warning:${e.message}` : e.event),
      onText: (t) => text.push(t),
      onHostKeyPrompt: async (p) => (prompts.push(p), true),
      onSecretPrompt: async (p) => (prompts.push(p), 'hunter2'),
    });
    const exit = await process.done;
    expect(exit.code).toBe(0);
    expect(events).toEqual(['playbook_on_start', 'warning:trust=true secret=true']);
    expect(text.join('')).toContain('not json\n');
    expect(text.join('')).toContain('PLAY [demo]');
    expect(prompts.map((p) => p.event)).toEqual(['host_key_prompt', 'secret_prompt']);
    expect((prompts[0] as HostKeyPrompt).fingerprint).toBe('SHA256:abc');
  });

  it('sends trust: false when the user declines', async () => {
    const process = new CliProcess(fakeCli(), [], tmpdir(), {
      onEvent: () => undefined,
      onText: () => undefined,
      onHostKeyPrompt: async () => false,
      onSecretPrompt: async () => undefined,
    });
    expect((await process.done).code).toBe(4);
  });

  it('Stop asks with SIGINT first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-cli-'));
    writeFileSync(join(dir, 'cli.js'), 'setInterval(() => {}, 1000);');
    const process = new CliProcess(join(dir, 'cli.js'), [], dir, { onEvent() {}, onText() {}, onHostKeyPrompt: async () => false, onSecretPrompt: async () => undefined });
    setTimeout(() => process.stop(), 100);
    const exit = await process.done;
    expect(exit.signal).toBe('SIGINT');
    expect(process.stopRequested).toBe(true);
  });
});

describe('JsonLineSplitter', () => {
  it('keeps a torn line until its end and hands back non-JSON as text', () => {
    const splitter = new JsonLineSplitter();
    expect(splitter.push('{"event":"a"}\n{"ev')).toEqual([{ kind: 'json', value: { event: 'a' } }]);
    expect(splitter.push('ent":"b"}\r\n[1]\n')).toEqual([{ kind: 'json', value: { event: 'b' } }, { kind: 'text', text: '[1]' }]);
    expect(splitter.push('{broken')).toEqual([]);
    expect(splitter.end()).toEqual([{ kind: 'text', text: '{broken' }]);
  });
});

describe('RunHistory', () => {
  it('persists entries across instances and drops the oldest past the limit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-history-'));
    const history = new RunHistory(dir);
    const request = { playbook: '/p.yml', cwd: '/', inventory: '/i', engine: 'bundled' as const };
    for (let i = 0; i < 22; i++) {
      const journal = history.journalPath(`r${i}`);
      writeFileSync(journal, '');
      history.add({ id: `r${i}`, request, journal, startedAt: i });
    }
    history.update('r21', { exitCode: 0, endedAt: 99 });
    const again = new RunHistory(dir);
    expect(again.list().map((e) => e.id)).toEqual(Array.from({ length: 20 }, (_, i) => `r${i + 2}`));
    expect(again.list().at(-1)).toMatchObject({ exitCode: 0, endedAt: 99 });
  });
});
