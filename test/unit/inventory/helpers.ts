import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const fixtures = resolve(__dirname, '..', '..', 'fixtures', 'inventory');

export function fixture(...parts: string[]): string {
  return join(fixtures, ...parts);
}

/** Writes files (path → content) under a fresh temp dir and returns the dir. */
export function tempTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ps-inventory-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}
