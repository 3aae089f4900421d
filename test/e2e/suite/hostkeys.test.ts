/**
 * Host keys and secrets through the real runtime and the real sshd: an unknown key is shown with its SHA256
 * fingerprint and, once trusted, recorded in the known_hosts file from the settings; a changed key is an error with
 * no trust button; a key passphrase is asked in a password box and kept in SecretStorage only when the user agrees.
 * The user's answers are given by replacing the window's message and input functions for the test.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, afterEach } from 'mocha';
import { describeRun, e2eConfig, runPlaybook, waitRunEnded, workspaceRoot } from './helpers';

type Messages = { warnings: string[]; errors: string[] };

async function withAnswers(trust: boolean, body: (messages: Messages) => Promise<void>): Promise<void> {
  const window = vscode.window as unknown as Record<string, unknown>;
  const originalWarning = window.showWarningMessage;
  const originalError = window.showErrorMessage;
  const messages: Messages = { warnings: [], errors: [] };
  window.showWarningMessage = async (message: string, ...rest: unknown[]) => {
    const options = rest[0] as vscode.MessageOptions | undefined;
    messages.warnings.push(`${message}\n${options?.detail ?? ''}`);
    const items = rest.filter((r): r is string => typeof r === 'string');
    return trust ? items.find((i) => /^Trust/.test(i)) : undefined;
  };
  window.showErrorMessage = async (message: string) => {
    messages.errors.push(message);
    return undefined;
  };
  try {
    await body(messages);
  } finally {
    window.showWarningMessage = originalWarning;
    window.showErrorMessage = originalError;
  }
}

async function useKnownHosts(path: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('playbookStudio');
  await config.update('knownHostsPath', path, vscode.ConfigurationTarget.Workspace);
  await config.update('hostKeyPolicy', 'prompt', vscode.ConfigurationTarget.Workspace);
}

describe('host keys', function () {
  this.timeout(120_000);

  afterEach(async () => {
    const config = vscode.workspace.getConfiguration('playbookStudio');
    await config.update('knownHostsPath', e2eConfig().sshd.knownHosts, vscode.ConfigurationTarget.Workspace);
    await config.update('hostKeyPolicy', 'strict', vscode.ConfigurationTarget.Workspace);
  });

  it('shows an unknown key with its SHA256 fingerprint and records it once trusted', async () => {
    const { sshd, hostCount } = e2eConfig();
    const knownHosts = join(workspaceRoot(), '.e2e', `known_hosts.trust.${Date.now()}`);
    writeFileSync(knownHosts, '');
    await useKnownHosts(knownHosts);
    await withAnswers(true, async (messages) => {
      const run = await runPlaybook('hello.yml');
      await waitRunEnded(run);
      assert.equal(run.node.state, 'ok', describeRun(run));
      assert.equal(messages.warnings.length, hostCount, messages.warnings.join('\n---\n'));
      for (const warning of messages.warnings) {
        assert.match(warning, /Unknown SSH host key for \[127\.0\.0\.\d+\]:\d+/);
        assert.match(warning, /SHA256:[A-Za-z0-9+/]{43}/);
      }
      assert.deepEqual(messages.errors, []);
    });
    const recorded = readFileSync(knownHosts, 'utf8').trim().split('\n');
    assert.equal(recorded.length, hostCount);
    for (const line of recorded) assert.match(line, new RegExp(`^\\[127\\.0\\.0\\.\\d+\\]:${sshd.port} ssh-ed25519 `));

    // Trusted once means known: the next run asks nothing.
    await withAnswers(false, async (messages) => {
      const again = await runPlaybook('hello.yml');
      await waitRunEnded(again);
      assert.equal(again.node.state, 'ok', describeRun(again));
      assert.deepEqual(messages.warnings, []);
    });
  });

  it('refuses a changed key with an error and no way to trust it', async () => {
    const { sshd, hostCount } = e2eConfig();
    // known_hosts claims the hosts have another key (the client's own key stands in for "some other key").
    const otherKey = readFileSync(`${sshd.privateKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    const knownHosts = join(workspaceRoot(), '.e2e', `known_hosts.changed.${Date.now()}`);
    writeFileSync(knownHosts, sshd.hosts.slice(0, hostCount).map((h) => `[${h}]:${sshd.port} ${otherKey}\n`).join(''));
    await useKnownHosts(knownHosts);
    await withAnswers(true, async (messages) => {
      const run = await runPlaybook('hello.yml');
      await waitRunEnded(run);
      assert.notEqual(run.node.state, 'ok', describeRun(run));
      const hosts = run.node.plays[0]?.tasks[0]?.hosts ?? [];
      assert.equal(hosts.filter((h) => h.state === 'unreachable').length, hostCount, describeRun(run));
      assert.deepEqual(messages.warnings, [], 'no trust question for a changed key');
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(messages.errors.length, 1, messages.errors.join('\n'));
      assert.match(messages.errors[0], /HOST KEY CHANGED/);
      assert.match(messages.errors[0], /SHA256:/);
    });
    assert.equal(readFileSync(knownHosts, 'utf8').trim().split('\n').length, hostCount, 'known_hosts untouched');
  });
});

describe('secrets', function () {
  this.timeout(120_000);

  afterEach(async () => {
    await vscode.workspace.getConfiguration('playbookStudio').update('inventory', 'inventory.ini', vscode.ConfigurationTarget.Workspace);
  });

  it('asks for a key passphrase in a password box, once per run, and remembers it only when told to', async () => {
    const { passphrase, hostCount } = e2eConfig();
    await vscode.workspace.getConfiguration('playbookStudio').update('inventory', passphrase.inventory, vscode.ConfigurationTarget.Workspace);
    const window = vscode.window as unknown as Record<string, unknown>;
    const originalInput = window.showInputBox;
    const originalInfo = window.showInformationMessage;
    const inputs: vscode.InputBoxOptions[] = [];
    const questions: string[] = [];
    let remember = 'Not Now';
    window.showInputBox = async (options: vscode.InputBoxOptions) => {
      inputs.push(options);
      return passphrase.passphrase;
    };
    window.showInformationMessage = async (message: string, ...items: string[]) => {
      questions.push(message);
      return items.includes(remember) ? remember : undefined;
    };
    try {
      const first = await runPlaybook('hello.yml');
      await waitRunEnded(first);
      assert.equal(first.node.state, 'ok', describeRun(first));
      assert.equal(first.node.plays[0].tasks[0].hosts.length, hostCount);
      assert.equal(inputs.length, 1, 'one question for the key, whatever the number of hosts');
      assert.equal(inputs[0].password, true);
      assert.ok(inputs[0].prompt?.includes(passphrase.keyFile));
      assert.equal(questions.length, 1);

      // Not remembered: the next run asks again; this time the user says Remember.
      remember = 'Remember';
      const second = await runPlaybook('hello.yml');
      await waitRunEnded(second);
      assert.equal(second.node.state, 'ok', describeRun(second));
      assert.equal(inputs.length, 2);

      // Remembered: no question at all.
      const third = await runPlaybook('hello.yml');
      await waitRunEnded(third);
      assert.equal(third.node.state, 'ok', describeRun(third));
      assert.equal(inputs.length, 2);
      assert.equal(questions.length, 2);
    } finally {
      window.showInputBox = originalInput;
      window.showInformationMessage = originalInfo;
    }
  });
});
