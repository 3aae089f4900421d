/**
 * `playbookStudio.*` settings per document, pulled with workspace/configuration when the client supports it
 * (cached until didChangeConfiguration), else taken from the last didChangeConfiguration push.
 */
import type { Connection } from 'vscode-languageserver';
import { defaultSettings, normalizeSettings } from './analysis/settings';
import type { AnalysisSettings } from './analysis/types';

export class SettingsStore {
  private pulled = new Map<string, Promise<AnalysisSettings>>();
  private pushed: AnalysisSettings = defaultSettings();
  canPull = false;

  constructor(private readonly connection: Connection) {}

  get(uri: string): Promise<AnalysisSettings> {
    if (!this.canPull) return Promise.resolve(this.pushed);
    let p = this.pulled.get(uri);
    if (!p) {
      p = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'playbookStudio' })
        .then(normalizeSettings, () => this.pushed);
      this.pulled.set(uri, p);
    }
    return p;
  }

  /** didChangeConfiguration: drop the cache; a push with our section becomes the fallback */
  changed(settings: unknown): void {
    this.pulled.clear();
    const section = settings && typeof settings === 'object' ? (settings as Record<string, unknown>).playbookStudio : undefined;
    if (section) this.pushed = normalizeSettings(section);
  }

  forget(uri: string): void {
    this.pulled.delete(uri);
  }
}
