/**
 * Run history in the workspace storage folder (`ExtensionContext.storageUri`): one small index file plus each
 * run's journal (the event stream the CLI wrote). Files rather than workspaceState so `playbook-studio jobs` can
 * read the journals too. When this folder has no history yet, the history of an earlier storage folder of the
 * same workspace is adopted (see extension.ts: web windows key workspace storage by the address they were opened
 * with). Pure Node: no VS Code import.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface RunRequest {
  playbook: string;
  /** working directory of the CLI (the workspace folder) */
  cwd: string;
  inventory: string;
  limit?: string;
  tags?: string;
  skipTags?: string;
  extraVars?: string;
  engine: 'bundled' | 'ansible';
  /** `--play` selectors (1-based entries of the playbook file): set when run from a play's code lens */
  plays?: string[];
}

export interface HistoryEntry {
  id: string;
  request: RunRequest;
  journal: string;
  startedAt: number;
  endedAt?: number;
  exitCode?: number | null;
  cancelled?: boolean;
  error?: string;
}

export const historyLimit = 20;

export class RunHistory {
  private entries: HistoryEntry[] = [];
  private readonly file: string;

  /** `previousFolder`: an earlier storage folder of this workspace whose runs are taken over when this one has none. */
  constructor(readonly folder: string, previousFolder?: string) {
    this.file = join(folder, 'history.json');
    mkdirSync(join(folder, 'journals'), { recursive: true });
    this.entries = this.read(this.file);
    if (!existsSync(this.file) && previousFolder && resolve(previousFolder) !== resolve(folder)) this.adopt(previousFolder);
  }

  /** Moves the runs of an earlier folder here (journals included), so both windows never own the same run. */
  private adopt(previousFolder: string): void {
    const previous = join(previousFolder, 'history.json');
    const entries = this.read(previous);
    if (entries.length === 0) return;
    for (const entry of entries) {
      const moved = this.journalPath(entry.id);
      try {
        if (existsSync(entry.journal)) renameSync(entry.journal, moved);
        entry.journal = moved;
      } catch {
        // another filesystem or a busy file: the entry keeps pointing at the old journal, which still works
      }
    }
    this.entries = entries;
    this.write();
    rmSync(previous, { force: true });
  }

  list(): readonly HistoryEntry[] {
    return this.entries;
  }

  journalPath(id: string): string {
    return join(this.folder, 'journals', `${id}.jsonl`);
  }

  add(entry: HistoryEntry): void {
    this.entries.push(entry);
    // Oldest first; drop the oldest (and their journals) past the limit.
    while (this.entries.length > historyLimit) {
      const dropped = this.entries.shift()!;
      rmSync(dropped.journal, { force: true });
    }
    this.write();
  }

  update(id: string, change: Partial<HistoryEntry>): void {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) return;
    Object.assign(entry, change);
    this.write();
  }

  remove(id: string): void {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) return;
    this.entries = this.entries.filter((e) => e !== entry);
    rmSync(entry.journal, { force: true });
    this.write();
  }

  private read(file: string): HistoryEntry[] {
    if (!existsSync(file)) return [];
    try {
      const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      return Array.isArray(value) ? (value as HistoryEntry[]).filter((e) => e && typeof e.id === 'string' && typeof e.journal === 'string') : [];
    } catch {
      return [];
    }
  }

  private write(): void {
    // Atomic replace: a reload in the middle of a write must not lose the whole history.
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.entries, null, 1));
    renameSync(tmp, this.file);
  }
}
