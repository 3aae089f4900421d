/** Run history adoption: a new workspace storage folder takes over the runs of the workspace's previous one. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunHistory } from '../../../client/jobs/history';

const request = { playbook: '/ws/site.yml', cwd: '/ws', inventory: '/ws/inventory', engine: 'bundled' as const };

function oldHistory(root: string) {
  const old = new RunHistory(join(root, 'old'));
  for (const id of ['a', 'b']) {
    writeFileSync(old.journalPath(id), `{"event":"playbook_on_start","id":"${id}"}\n`);
    old.add({ id, request, journal: old.journalPath(id), startedAt: 1 });
  }
  return old;
}

describe('RunHistory adoption', () => {
  it('moves the previous folder’s runs and journals into an empty new folder, once', () => {
    const root = mkdtempSync(join(tmpdir(), 'ps-history-'));
    const old = oldHistory(root);
    const fresh = new RunHistory(join(root, 'new'), old.folder);
    expect(fresh.list().map((e) => e.id)).toEqual(['a', 'b']);
    for (const entry of fresh.list()) {
      expect(entry.journal).toBe(fresh.journalPath(entry.id));
      expect(readFileSync(entry.journal, 'utf8')).toContain(`"id":"${entry.id}"`);
      expect(existsSync(old.journalPath(entry.id))).toBe(false);
    }
    // the old folder no longer claims them; reopening the new one keeps them without adopting again
    expect(new RunHistory(old.folder).list()).toEqual([]);
    expect(new RunHistory(join(root, 'new'), old.folder).list().map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('leaves a folder that has a history of its own alone', () => {
    const root = mkdtempSync(join(tmpdir(), 'ps-history-'));
    const own = new RunHistory(join(root, 'new'));
    own.add({ id: 'mine', request, journal: own.journalPath('mine'), startedAt: 2 });
    const old = oldHistory(root);
    expect(new RunHistory(join(root, 'new'), old.folder).list().map((e) => e.id)).toEqual(['mine']);
    expect(new RunHistory(old.folder).list().map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('a missing previous folder is no history, not an error', () => {
    const root = mkdtempSync(join(tmpdir(), 'ps-history-'));
    expect(new RunHistory(join(root, 'new'), join(root, 'never-existed')).list()).toEqual([]);
  });
});
