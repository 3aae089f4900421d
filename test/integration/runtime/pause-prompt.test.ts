import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sshd, writeInventory } from '../../host/sshd';
import { shellJoin } from '../../../runtime/connection/quote';
import { buildCli } from './cli-build';
import { runPlaybook, tempDir } from './helpers';
import { writeFileSync } from 'node:fs';

const PLAYBOOK = `
- hosts: h1
  gather_facts: false
  tasks:
    - name: ask
      pause: { prompt: Type something }
      register: answer
    - name: show
      debug: { msg: "got [{{ answer.user_input }}] {{ answer.stdout }}" }
`;

describe('pause prompts', () => {
  it('without a terminal: shows the prompt, warns, does not wait, user_input is empty (as Ansible)', async () => {
    const outcome = await runPlaybook({
      playbook: `${PLAYBOOK}
    - name: timed with a prompt
      pause: { seconds: 0, prompt: Look at this }
      register: timed
    - name: both units
      pause: { seconds: 1, minutes: 1 }
      ignore_errors: true
    - name: hidden prompt
      pause: { echo: false }
      register: hidden
`,
    });
    const context = outcome.out + outcome.err;
    expect(outcome.rc, context).toBe(0);
    const ask = outcome.results.find((e) => e.task === 'ask')!.result;
    expect(ask).toMatchObject({ changed: false, rc: 0, delta: 0, echo: true, user_input: '', stdout: 'Paused for 0.0 minutes', stderr: '' });
    expect(outcome.out).toContain('TASK [ask] ***');
    expect(outcome.out).toContain('[ask]\nType something:\n');
    expect(outcome.err).toContain('[WARNING]: Not waiting for response to prompt as stdin is not interactive');
    expect(outcome.out).toContain("Pausing for 1 seconds\n(ctrl+C then 'C' = continue early, ctrl+C then 'A' = abort)\n[timed with a prompt]\nLook at this:\n");
    expect(outcome.results.find((e) => e.task === 'timed with a prompt')!.result).toMatchObject({ delta: 1, user_input: '' });
    expect(String(outcome.results.find((e) => e.task === 'timed with a prompt')!.result.stdout)).toMatch(/^Paused for 1\.\d+ seconds$/);
    expect(outcome.results.find((e) => e.task === 'both units')!.result.msg).toBe('parameters are mutually exclusive: minutes|seconds');
    expect(outcome.out).toContain('[hidden prompt]\nPress enter to continue, Ctrl+C to interrupt (output is hidden):\n');
  });

  describe('on a terminal (the CLI under script(1))', () => {
    let cli: string;
    beforeAll(async () => {
      cli = await buildCli();
    }, 120_000);

    it('reads the line typed at the prompt into user_input', async () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'playbook.yml'), PLAYBOOK);
      const inventory = writeInventory(join(dir, 'inventory'), 1);
      const command = shellJoin([process.execPath, cli, 'run', join(dir, 'playbook.yml'), '-i', inventory, '--known-hosts', sshd().knownHosts, '--host-key-policy', 'strict', '--no-color']);
      const output = await new Promise<string>((resolve, reject) => {
        const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
        let out = '';
        let typed = false;
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (!typed && out.includes('Type something:')) {
            typed = true;
            child.stdin.write('hello wor\u007fld\r');
          }
        });
        child.on('error', reject);
        child.on('close', () => resolve(out));
      });
      const text = output.replace(/\r/g, '');
      expect(text, text).toContain('"msg": "got [hello wold] Paused for 0.0');
      expect(text).not.toContain('Not waiting for response');
    }, 120_000);
  });
});
