/**
 * The journal: every event appended as one JSON line, synchronously, before it is displayed.
 * appendFileSync keeps the order and survives a controller crash right after the call returns.
 */
import { appendFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RunEvent } from './types';

export function journalWriter(path: string): (event: RunEvent) => void {
  mkdirSync(dirname(path), { recursive: true });
  return (event) => appendFileSync(path, JSON.stringify(event) + '\n');
}

export interface JournalReadResult {
  events: RunEvent[];
  /** 1-based line numbers that were not valid JSON events (a torn last line after a crash, garbage) */
  badLines: { line: number; text: string; error: string }[];
}

/** Reads a journal, tolerating a torn final line and garbage: bad lines are reported, never thrown. */
export function readJournal(path: string): JournalReadResult {
  const result: JournalReadResult = { events: [], badLines: [] };
  if (!existsSync(path)) return result;
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((text, index) => {
    if (text.trim() === '') return;
    try {
      const value = JSON.parse(text) as RunEvent;
      if (typeof value !== 'object' || value === null || typeof (value as { event?: unknown }).event !== 'string') {
        throw new Error('not an event object');
      }
      result.events.push(value);
    } catch (error) {
      result.badLines.push({ line: index + 1, text: text.slice(0, 200), error: (error as Error).message });
    }
  });
  return result;
}
