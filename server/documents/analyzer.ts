/**
 * Per-document analysis for the server: which open documents are playbooks, the latest analysis of each
 * (by document version and settings), debounced and superseded runs, and re-analysis of the documents that
 * import a file when that file changes.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeText, type AnalysisResult } from '../analysis/analyze';
import type { AnalysisSettings } from '../analysis/types';
import { classifyDocument, type DocumentKind } from './classify';
import { uriToPath } from './paths';
import { collectBeforeAnalysis, collectWhenIdle } from '../memory';

export interface Analysed {
  version: number;
  settingsKey: string;
  result: AnalysisResult;
}

export class DocumentAnalyzer {
  private kinds = new Map<string, DocumentKind>();
  private cache = new Map<string, Analysed>();
  private timers = new Map<string, NodeJS.Timeout>();
  /** run generation per document: a newer change or close supersedes a run waiting for its settings */
  private generation = new Map<string, number>();
  private lastSchedule = new Map<string, number>();

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly settingsFor: (uri: string) => Promise<AnalysisSettings>,
    private readonly publish: (doc: TextDocument, result: AnalysisResult | undefined) => void,
    private readonly log: (message: string) => void,
    readonly debounceMs = 150,
  ) {}

  /** the kind a document is served as; YAML that stops parsing keeps its previous kind while it is edited */
  kindOf(doc: TextDocument): DocumentKind {
    const kind = classifyDocument(doc.languageId, doc.getText());
    const previous = this.kinds.get(doc.uri);
    const result = kind === 'other' && previous && previous !== 'other' && /^\s*-/m.test(doc.getText()) ? previous : kind;
    this.kinds.set(doc.uri, result);
    return result;
  }

  /**
   * Debounce with a leading edge: a change after a quiet period is analysed at once (a single edit gets its
   * diagnostics without waiting), changes that follow within `debounceMs` are coalesced into one run after
   * the burst. `stale`: the document did not change but a file it imports did, so the cached analysis goes.
   * An explicit `delay` (an open, a settings change) is not an edit: it does not start a burst, so the first
   * edit after opening a document is analysed at once too.
   */
  schedule(doc: TextDocument, delay?: number, stale = false): void {
    const uri = doc.uri;
    if (stale) this.cache.delete(uri);
    if (delay === undefined) {
      const now = Date.now();
      const quiet = now - (this.lastSchedule.get(uri) ?? 0) > this.debounceMs && !this.timers.has(uri);
      this.lastSchedule.set(uri, now);
      delay = quiet ? 0 : this.debounceMs;
    }
    const gen = (this.generation.get(uri) ?? 0) + 1;
    this.generation.set(uri, gen);
    clearTimeout(this.timers.get(uri));
    const timer = setTimeout(() => {
      this.timers.delete(uri);
      void this.run(uri, gen);
    }, delay);
    this.timers.set(uri, timer);
  }

  close(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.generation.set(uri, (this.generation.get(uri) ?? 0) + 1);
    this.cache.delete(uri);
    this.kinds.delete(uri);
    this.lastSchedule.delete(uri);
  }

  /** documents whose last analysis read `path` (imports), to re-check when it changes */
  dependents(path: string): TextDocument[] {
    const abs = resolve(path);
    const out: TextDocument[] = [];
    for (const [uri, a] of this.cache) {
      if (a.result.dependencies.some((d) => resolve(d) === abs)) {
        const doc = this.documents.get(uri);
        if (doc) out.push(doc);
      }
    }
    return out;
  }

  private async run(uri: string, gen: number): Promise<void> {
    const doc = this.documents.get(uri);
    if (!doc) return;
    const settings = await this.settingsFor(uri);
    // superseded while waiting for the settings: the newer run publishes
    if (this.generation.get(uri) !== gen) return;
    const current = this.documents.get(uri);
    if (!current) return;
    const analysed = this.analyse(current, settings);
    this.publish(current, analysed?.result);
  }

  /** the analysis of the current version, computed now if the cached one is stale */
  async current(uri: string): Promise<AnalysisResult | undefined> {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const settings = await this.settingsFor(uri);
    const latest = this.documents.get(uri);
    return latest ? this.analyse(latest, settings)?.result : undefined;
  }

  private analyse(doc: TextDocument, settings: AnalysisSettings): Analysed | undefined {
    const kind = this.kindOf(doc);
    if (kind === 'other') {
      this.cache.delete(doc.uri);
      return undefined;
    }
    const settingsKey = JSON.stringify(settings);
    const cached = this.cache.get(doc.uri);
    if (cached && cached.version === doc.version && cached.settingsKey === settingsKey && cached.result.kind === kind) return cached;
    // the previous model becomes garbage before the new one is built (a large playbook's model is megabytes)
    this.cache.delete(doc.uri);
    collectBeforeAnalysis(doc.getText().length);
    const path = uriToPath(doc.uri);
    const result = analyzeText(path, doc.getText(), { kind, settings, readFile: (p) => this.readFile(p) });
    for (const f of result.failures) this.log(`rule ${f.code} failed on ${path}: ${f.error}`);
    const analysed = { version: doc.version, settingsKey, result };
    this.cache.set(doc.uri, analysed);
    collectWhenIdle(doc.getText().length);
    return analysed;
  }

  /** imports come from the open document when there is one (unsaved edits count), else from disk */
  private readFile(path: string): string | undefined {
    const abs = resolve(path);
    for (const d of this.documents.all()) {
      if (d.uri.startsWith('file:') && resolve(uriToPath(d.uri)) === abs) return d.getText();
    }
    try {
      return readFileSync(abs, 'utf8');
    } catch {
      return undefined;
    }
  }
}
