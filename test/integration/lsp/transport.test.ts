/** The server also speaks LSP over Node IPC (--node-ipc), the transport VS Code uses for in-process-spawned servers. */
import { fork } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createProtocolConnection, IPCMessageReader, IPCMessageWriter, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { RULE_CASES } from '../../fixtures/lsp/rule-cases';
import { ensureBuilt, serverPath } from './client';

const children: ReturnType<typeof fork>[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill();
});

describe('transport', () => {
  it('--node-ipc: initialize, publish diagnostics, shut down', async () => {
    ensureBuilt();
    const child = fork(serverPath, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    children.push(child);
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const diagnostics = new Promise<PublishDiagnosticsParams>((resolve) => connection.onNotification('textDocument/publishDiagnostics', resolve));
    connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    connection.listen();
    const init = (await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } })) as { capabilities: Record<string, unknown> };
    expect(init.capabilities.inlayHintProvider).toBeTruthy();
    expect(init.capabilities.textDocumentSync).toMatchObject({ change: 2 });
    await connection.sendNotification('initialized', {});
    const bad = RULE_CASES.find((c) => c.code === 'async-unsupported')!.bad;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///tmp/ps-ipc/p.yml', languageId: 'ansible', version: 1, text: bad } });
    const published = await diagnostics;
    expect(published.diagnostics.map((d) => d.code)).toContain('async-unsupported');
    await connection.sendRequest('shutdown');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await connection.sendNotification('exit');
    expect(await exited).toBe(0);
    connection.dispose();
  });
});
