/**
 * Questions a run asks the user: trusting an unknown SSH host key (once; the CLI records it in the known_hosts
 * file), refusing a changed one, and secrets (key passphrases, passwords) in password boxes, kept in SecretStorage
 * only when the user says so. Secrets never go to the output channel or the journal.
 */
import * as vscode from 'vscode';
import type { HostKeyPrompt, SecretPrompt } from './cliProcess';

export const trustLabel = 'Trust and Continue';

export async function askHostKey(prompt: HostKeyPrompt, knownHosts: string): Promise<boolean> {
  const where = prompt.port && prompt.port !== 22 ? `[${prompt.host}]:${prompt.port}` : prompt.host;
  if (prompt.changed) {
    // A changed key may be an attack: no way to accept it from here; the user must fix known_hosts knowingly.
    const known = prompt.knownFingerprint ? ` The recorded key is ${prompt.knownFingerprint}.` : '';
    void vscode.window.showErrorMessage(
      `HOST KEY CHANGED for ${where}: it now presents ${prompt.keyType} ${prompt.fingerprint}.${known} ` +
        `The connection was refused. If the change is expected, remove the old entry from ${knownHosts || 'known_hosts'}.`,
    );
    return false;
  }
  const choice = await vscode.window.showWarningMessage(
    `Unknown SSH host key for ${where}`,
    {
      modal: true,
      detail: `${prompt.keyType} key fingerprint is ${prompt.fingerprint}.\n\nTrust it only if it matches the host's real key. It will be recorded in ${knownHosts || 'your known_hosts file'}.`,
    },
    trustLabel,
  );
  return choice === trustLabel;
}

function secretKey(prompt: SecretPrompt): string {
  return `playbookStudio.${prompt.kind}:${prompt.keyFile ?? `${prompt.user ?? ''}@${prompt.host ?? ''}`}`;
}

/**
 * Answers one run's secret prompts. The runtime may ask once per host for the same key; concurrent and repeated
 * questions about the same secret share one answer, so the user types it once per run at most.
 */
export class SecretAsker {
  private readonly answers = new Map<string, Promise<string | undefined>>();

  constructor(private readonly secrets: vscode.SecretStorage) {}

  ask(prompt: SecretPrompt): Promise<string | undefined> {
    const key = secretKey(prompt);
    let answer = this.answers.get(key);
    if (!answer) {
      answer = this.askUser(key, prompt);
      this.answers.set(key, answer);
    }
    return answer;
  }

  private async askUser(key: string, prompt: SecretPrompt): Promise<string | undefined> {
    const stored = await this.secrets.get(key);
    if (stored !== undefined) return stored;
    const what =
      prompt.kind === 'passphrase' ? `Passphrase for the SSH key ${prompt.keyFile ?? ''}` : `${prompt.kind.replace('_', ' ')} for ${prompt.user ? `${prompt.user}@` : ''}${prompt.host ?? 'the host'}`;
    const secret = await vscode.window.showInputBox({ title: 'Playbook Studio', prompt: what, password: true, ignoreFocusOut: true });
    if (secret === undefined) return undefined;
    const save = await vscode.window.showInformationMessage(`Remember this ${prompt.kind.replace('_', ' ')} in VS Code's secret storage?`, 'Remember', 'Not Now');
    if (save === 'Remember') await this.secrets.store(key, secret);
    return secret;
  }
}

/** The runtime refuses a host whose key differs from known_hosts; its message names both fingerprints. */
export const changedHostKey = /host key for \S+ has changed/i;

/** Tells the user about refused hosts with changed keys: an error with no way to trust the key from here. */
export function reportChangedHostKeys(messages: string[]): void {
  if (messages.length === 0) return;
  const more = messages.length > 1 ? ` (and ${messages.length - 1} more host${messages.length > 2 ? 's' : ''})` : '';
  void vscode.window.showErrorMessage(`SSH HOST KEY CHANGED: ${messages[0]}${more}`);
}
