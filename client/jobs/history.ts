/**
 * Run history in the workspace storage folder: one small index file plus each run's journal (the event stream the
 * CLI wrote). A file rather than workspaceState so it is readable by `playbook-studio jobs` too and survives in
 * remote/web windows whose Memento lives elsewhere. Pure Node: no VS Code import.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

  constructor(readonly folder: string) {
    this.file = join(folder, 'history.json');
    mkdirSync(join(folder, 'journals'), { recursive: true });
    this.entries = this.read();
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

  private read(): HistoryEntry[] {
    if (!existsSync(this.file)) return [];
    try {
      const value = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
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
