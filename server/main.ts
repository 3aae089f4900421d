/**
 * The Playbook Studio language server: stdio or IPC (chosen from argv by createConnection), incremental
 * document sync, debounced diagnostics, inlay hints with wait budgets, hovers, code lenses, quick fixes,
 * completion and document symbols. All knowledge lives in server/analysis and runtime/.
 */
import './memory';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentAnalyzer } from './documents/analyzer';
import { uriToPath } from './documents/paths';
import { diagnosticsFor } from './features/diagnostics';
import { inlayHints } from './features/inlay-hints';
import { hover } from './features/hover';
import { codeLenses } from './features/code-lens';
import { codeActions } from './features/code-actions';
import { completion, COMPLETION_TRIGGERS } from './features/completion';
import { documentSymbols } from './features/symbols';
import { SettingsStore } from './settings-store';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const settings = new SettingsStore(connection);
const log = (message: string) => connection.console.error(message);

const analyzer = new DocumentAnalyzer(
  documents,
  (uri) => settings.get(uri),
  (doc, result) => {
    const diagnostics = result ? diagnosticsFor(doc, uriToPath(doc.uri), result) : [];
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  },
  log,
  Number(process.env.PLAYBOOK_STUDIO_DEBOUNCE_MS ?? 150),
);

let dynamicConfiguration = false;

connection.onInitialize((params): InitializeResult => {
  const caps = params.capabilities;
  settings.canPull = !!caps.workspace?.configuration;
  dynamicConfiguration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
  const init = params.initializationOptions as { playbookStudio?: unknown } | undefined;
  if (init?.playbookStudio) settings.changed({ playbookStudio: init.playbookStudio });
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      hoverProvider: true,
      inlayHintProvider: { resolveProvider: false },
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: false },
      completionProvider: { triggerCharacters: COMPLETION_TRIGGERS, resolveProvider: false },
      documentSymbolProvider: true,
    },
    serverInfo: { name: 'playbook-studio', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (dynamicConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'playbookStudio' });
});

connection.onDidChangeConfiguration((change) => {
  settings.changed(change.settings);
  for (const doc of documents.all()) analyzer.schedule(doc, 0, true);
  connection.languages.inlayHint.refresh().catch(() => undefined);
  connection.sendRequest("workspace/codeLens/refresh").catch(() => undefined);
});

// TextDocuments reports an open as a content change too: that one must not push the first run behind the debounce
const openedVersion = new Map<string, number>();
documents.onDidOpen((e) => {
  openedVersion.set(e.document.uri, e.document.version);
  analyzer.schedule(e.document, 0);
});
documents.onDidChangeContent((e) => {
  if (openedVersion.get(e.document.uri) === e.document.version) return;
  openedVersion.delete(e.document.uri);
  analyzer.schedule(e.document);
  // documents importing this one see its unsaved text
  for (const dependent of analyzer.dependents(uriToPath(e.document.uri))) if (dependent.uri !== e.document.uri) analyzer.schedule(dependent, undefined, true);
});
documents.onDidClose((e) => {
  openedVersion.delete(e.document.uri);
  analyzer.close(e.document.uri);
  // importers now read the file from disk instead of the closed editor's text
  for (const dependent of analyzer.dependents(uriToPath(e.document.uri))) analyzer.schedule(dependent, undefined, true);
  settings.forget(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

// imported files changed on disk (when the client forwards file events)
connection.onDidChangeWatchedFiles((params) => {
  for (const change of params.changes) {
    for (const dependent of analyzer.dependents(uriToPath(change.uri))) analyzer.schedule(dependent, undefined, true);
  }
});

connection.languages.inlayHint.on(async (params) => {
  const doc = documents.get(params.textDocument.uri);
  const result = doc && (await analyzer.current(doc.uri));
  return doc && result ? inlayHints(doc, result, params.range) : [];
});

connection.onHover(async (params) => {
  const doc = documents.get(params.textDocument.uri);
  const result = doc && (await analyzer.current(doc.uri));
  return doc && result ? hover(doc, result, params.position) : null;
});

connection.onCodeLens(async (params) => {
  const doc = documents.get(params.textDocument.uri);
  const result = doc && (await analyzer.current(doc.uri));
  return doc && result ? codeLenses(doc, result) : [];
});

connection.onCodeAction(async (params) => {
  const doc = documents.get(params.textDocument.uri);
  const result = doc && (await analyzer.current(doc.uri));
  return doc && result ? codeActions(doc, result, params) : [];
});

connection.onCompletion(async (params) => {
  const doc = documents.get(params.textDocument.uri);
  const result = doc && (await analyzer.current(doc.uri));
  return doc && result ? completion(doc, result, params.position) : [];
});

connection.onDocumentSymbol(async (params) => {
  const doc = documents.get(params.textDocument.uri);
  const result = doc && (await analyzer.current(doc.uri));
  return doc && result ? documentSymbols(doc, result) : [];
});

documents.listen(connection);
connection.listen();
