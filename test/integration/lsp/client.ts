/**
 * A minimal LSP client for tests and benchmarks: spawns a server over stdio and speaks JSON-RPC through
 * vscode-languageserver-protocol. Collects publishDiagnostics and answers workspace/configuration.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execSync } from 'node:child_process';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

/** the project root: the nearest folder above this file (or the working directory) with our package.json */
function findRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = start;
    for (let i = 0; i < 8; i++) {
      if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'server', 'main.ts'))) return dir;
      dir = dirname(dir);
    }
  }
  return process.cwd();
}

export const root = findRoot();
export const serverPath = join(root, 'dist', 'server.js');
export const cliPath = join(root, 'dist', 'cli.js');

/** builds dist/ once when it is missing (tests run against the bundles the extension ships) */
export function ensureBuilt(): void {
  if (!existsSync(serverPath) || !existsSync(cliPath)) execSync('npm run build', { cwd: root, stdio: 'inherit' });
}

export interface ClientOptions {
  command?: string;
  args?: string[];
  settings?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  rootUri?: string | null;
  initializationOptions?: unknown;
}

type Waiter = { uri: string; predicate: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void };

export class LspClient {
  readonly process: ChildProcess;
  readonly connection: ProtocolConnection;
  private diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  private waiters: Waiter[] = [];
  settings: Record<string, unknown>;
  /** per-document settings (answered for workspace/configuration requests that name a scopeUri) */
  settingsFor?: (uri: string) => Record<string, unknown> | undefined;
  stderr = '';

  constructor(options: ClientOptions = {}) {
    this.settings = options.settings ?? {};
    this.process = spawn(options.command ?? process.execPath, options.args ?? [serverPath, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    this.process.stderr!.on('data', (d) => (this.stderr += String(d)));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const list = this.diagnostics.get(p.uri) ?? [];
      list.push(p);
      this.diagnostics.set(p.uri, list);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri === p.uri && w.predicate(p)) {
          w.resolve(p);
          return false;
        }
        return true;
      });
    });
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string; scopeUri?: string }[] }) =>
      params.items.map((item) => {
        const settings = (item.scopeUri && this.settingsFor?.(item.scopeUri)) || this.settings;
        return item.section ? (settings[item.section] ?? null) : settings;
      }),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('workspace/inlayHint/refresh', () => null);
    this.connection.onRequest('workspace/codeLens/refresh', () => null);
    this.connection.onRequest('workspace/semanticTokens/refresh', () => null);
    this.connection.onRequest('workspace/diagnostic/refresh', () => null);
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onNotification('window/showMessage', () => undefined);
    this.connection.onNotification('$/progress', () => undefined);
    this.connection.onNotification('telemetry/event', () => undefined);
    this.connection.listen();
  }

  async initialize(options: ClientOptions = {}): Promise<unknown> {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: options.rootUri ?? null,
      workspaceFolders: options.rootUri ? [{ uri: options.rootUri, name: 'ws' }] : null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false }, workspaceFolders: true },
        textDocument: {
          synchronization: { didSave: true, dynamicRegistration: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: true } },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
          inlayHint: {},
          codeLens: {},
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        },
      },
      initializationOptions: options.initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(uri: string, text: string, languageId = 'ansible', version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, changes: ({ text: string } | { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string })[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** the next publishDiagnostics for `uri` that satisfies `predicate` (already received ones count when `includePast`) */
  waitForDiagnostics(uri: string, predicate: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 20_000, includePast = false): Promise<PublishDiagnosticsParams> {
    if (includePast) {
      const past = (this.diagnostics.get(uri) ?? []).find(predicate);
      if (past) return Promise.resolve(past);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms; stderr: ${this.stderr.slice(-2000)}`)), timeoutMs);
      this.waiters.push({ uri, predicate, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }

  /** didOpen and the first diagnostics of that version */
  async openAndWait(uri: string, text: string, languageId = 'ansible', timeoutMs = 20_000): Promise<Diagnostic[]> {
    const wait = this.waitForDiagnostics(uri, (p) => p.version === undefined || p.version === 1, timeoutMs);
    await this.open(uri, text, languageId, 1);
    return (await wait).diagnostics;
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  async shutdown(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // the process may be gone already
    }
    this.connection.dispose();
    if (this.process.exitCode === null) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.process.kill('SIGKILL');
          resolve();
        }, 3000);
        this.process.once('exit', () => (clearTimeout(t), resolve()));
      });
    }
  }
}
