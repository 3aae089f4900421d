/**
 * The runtime CLI as a child process: `node dist/cli.js … --events -`. Events arrive as JSON lines on stdout,
 * ansible-like text on stderr; questions the CLI cannot answer itself (an unknown host key, a key passphrase) arrive
 * as prompt events and are answered with one JSON line on its stdin. A separate process keeps a hung SSH connection
 * from ever blocking the extension host. Pure Node: no VS Code import.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { RunEvent } from '../../runtime/events/types';
import { JsonLineSplitter } from './jsonLines';

export interface HostKeyPrompt {
  event: 'host_key_prompt';
  host: string;
  port: number;
  keyType: string;
  /** "SHA256:…" */
  fingerprint: string;
  /** set when a different key is recorded for this host: never trustable from here */
  changed?: boolean;
  knownFingerprint?: string;
}

export interface SecretPrompt {
  event: 'secret_prompt';
  kind: 'passphrase' | 'password' | 'become_password' | string;
  keyFile?: string;
  host?: string;
  user?: string;
}

export interface CliHandlers {
  onEvent(event: RunEvent): void;
  /** JSON lines that are not events (e.g. `jobs … --json` outcomes) */
  onJson?(value: Record<string, unknown>): void;
  onText(text: string): void;
  onHostKeyPrompt(prompt: HostKeyPrompt): Promise<boolean>;
  onSecretPrompt(prompt: SecretPrompt): Promise<string | undefined>;
}

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** set when the process could not be started at all */
  error?: string;
}

export class CliProcess {
  readonly done: Promise<CliExit>;
  private readonly child: ChildProcessWithoutNullStreams;
  private stopping = false;
  private killTimers: NodeJS.Timeout[] = [];

  constructor(cliPath: string, args: string[], cwd: string, private readonly handlers: CliHandlers, env: NodeJS.ProcessEnv = {}) {
    // In desktop VS Code the extension host's execPath is Electron; ELECTRON_RUN_AS_NODE makes it a plain Node.
    this.child = spawn(process.execPath, [cliPath, ...args], {
      cwd,
      env: { ...process.env, ...env, ELECTRON_RUN_AS_NODE: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout = new JsonLineSplitter();
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => stdout.push(chunk).forEach((line) => this.dispatch(line)));
    this.child.stdout.on('end', () => stdout.end().forEach((line) => this.dispatch(line)));
    this.child.stderr.on('data', (chunk: string) => handlers.onText(chunk));
    // A dead child's stdin throws EPIPE asynchronously; the exit is what matters.
    this.child.stdin.on('error', () => undefined);
    this.done = new Promise<CliExit>((resolve) => {
      let settled = false;
      this.child.on('error', (error) => {
        if (settled) return;
        settled = true;
        resolve({ code: null, signal: null, error: error.message });
      });
      this.child.on('close', (code, signal) => {
        this.killTimers.forEach(clearTimeout);
        if (settled) return;
        settled = true;
        resolve({ code, signal });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stopRequested(): boolean {
    return this.stopping;
  }

  /**
   * Asks the CLI to stop (SIGINT: no new work, journal flushed, launched jobs keep running remotely), then
   * insists (SIGTERM after 5 s, SIGKILL after 10 s) so Stop always ends the process.
   */
  stop(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.stopping = true;
    this.child.kill('SIGINT');
    this.killTimers.push(setTimeout(() => this.child.kill('SIGTERM'), 5000));
    this.killTimers.push(setTimeout(() => this.child.kill('SIGKILL'), 10000));
  }

  /** Ends the process now (extension shutdown). */
  kill(): void {
    this.stopping = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
  }

  private dispatch(line: ReturnType<JsonLineSplitter['push']>[number]): void {
    if (line.kind === 'text') {
      this.handlers.onText(line.text + '\n');
      return;
    }
    const value = line.value;
    if (value.event === 'host_key_prompt') {
      void this.answer(this.handlers.onHostKeyPrompt(value as unknown as HostKeyPrompt).then((trust) => ({ trust })));
    } else if (value.event === 'secret_prompt') {
      void this.answer(this.handlers.onSecretPrompt(value as unknown as SecretPrompt).then((secret) => (secret === undefined ? { secret: null, cancelled: true } : { secret })));
    } else if (typeof value.event === 'string') {
      this.handlers.onEvent(value as unknown as RunEvent);
    } else {
      this.handlers.onJson?.(value);
    }
  }

  private async answer(reply: Promise<Record<string, unknown>>): Promise<void> {
    let value: Record<string, unknown>;
    try {
      value = await reply;
    } catch {
      value = { trust: false, secret: null, cancelled: true };
    }
    if (this.child.exitCode === null && this.child.stdin.writable) this.child.stdin.write(JSON.stringify(value) + '\n');
  }
}
