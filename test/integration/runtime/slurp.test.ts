import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sshd } from '../../host/sshd';
import { remoteScratch, resultOf, runPlaybook } from './helpers';

describe('slurp', () => {
  it('returns base64 content, source and encoding; fails with the 2.14 messages', async () => {
    const dir = remoteScratch('slurp');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    const bytes = Buffer.from([0, 1, 2, 255, 10, 65, 66, 10, 10]);
    writeFileSync(join(dir, 'bin'), bytes);
    writeFileSync(join(dir, 'big'), 'x'.repeat(5000));
    const outcome = await runPlaybook({
      playbook: `
- hosts: h1
  gather_facts: false
  tasks:
    - name: binary
      slurp: { src: "${dir}/bin" }
      register: bin
    - name: big file is one unbroken string
      slurp: { path: "${dir}/big" }
      register: big
    - name: decoded
      assert:
        that:
          - (big.content | b64decode) == ('x' * 5000)
    - name: missing
      slurp: { src: "${dir}/nope" }
      ignore_errors: true
    - name: directory
      slurp: { src: "${dir}/sub" }
      ignore_errors: true
    - name: no src
      slurp: {}
      ignore_errors: true
`,
    });
    const bin = resultOf(outcome, 'binary').result;
    expect(bin).toMatchObject({ changed: false, encoding: 'base64', source: `${dir}/bin`, content: bytes.toString('base64') });
    expect(resultOf(outcome, 'decoded').event, outcome.out).toBe('runner_on_ok');
    expect(resultOf(outcome, 'missing').result.msg).toBe(`file not found: ${dir}/nope`);
    expect(resultOf(outcome, 'directory').result.msg).toBe(`source is a directory and must be a file: ${dir}/sub`);
    expect(resultOf(outcome, 'no src').result.msg).toBe('missing required arguments: src');
    expect(outcome.rc).toBe(0);
  });

  it('~ in src is the remote HOME, and slurp runs as an async job', async () => {
    const name = `slurp-home-${process.pid}-${Date.now()}`;
    writeFileSync(join(sshd().home, name), 'hello\n');
    const outcome = await runPlaybook({
      playbook: `
- hosts: h1
  gather_facts: false
  tasks:
    - name: home
      slurp: { src: "~/${name}" }
      register: home
      async: 20
      poll: 1
    - name: check
      assert:
        that:
          - (home.content | b64decode) == "hello\\n"
          - home.source == "${sshd().home}/${name}"
`,
    });
    expect(resultOf(outcome, 'check').event, outcome.out).toBe('runner_on_ok');
    const job = outcome.results.find((e) => e.task === 'home' && e.event === 'runner_on_ok');
    expect(job?.result.finished).toBe(1);
    expect(outcome.events.some((e) => e.event === 'job_started' && e.task === 'home')).toBe(true);
  });
});
