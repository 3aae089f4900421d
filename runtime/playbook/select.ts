/**
 * Picking plays to run (`playbook-studio run --play N|NAME`, the editor's ▶ above one play) and counting the
 * tasks a run will start at most (the status bar's `3/12`). Selection works on the entries of the playbook file
 * itself: an `import_playbook` entry is one entry and selecting it selects every play it imports.
 */
import type { Play, Playbook } from './model';
import { isActionTask, walkPlay, walkPlays } from './walk';

export class PlaySelectionError extends Error {}

/**
 * The plays to run, in file order, for selectors that are 1-based entry numbers or play names (a name matches
 * a top-level play, or a play inside an imported playbook). No selectors: every play.
 */
export function selectPlays(playbook: Playbook, selectors: readonly string[] = []): Play[] {
  if (selectors.length === 0) return [...walkPlays(playbook)];
  const entries = playbook.plays;
  const chosen = new Set<number>();
  const byName = new Map<string, Play[]>();
  for (const selector of selectors) {
    if (/^\d+$/.test(selector)) {
      const index = Number(selector);
      if (index < 1 || index > entries.length) {
        throw new PlaySelectionError(`--play ${selector}: ${playbook.file.path} has ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} (plays and import_playbook), numbered from 1`);
      }
      chosen.add(index - 1);
      continue;
    }
    const matches = [...walkPlays(playbook)].filter((play) => play.name === selector);
    if (matches.length === 0) {
      const names = [...walkPlays(playbook)].map((play) => play.name).filter((name): name is string => !!name);
      throw new PlaySelectionError(`--play ${JSON.stringify(selector)}: no play of that name in ${playbook.file.path}${names.length ? ` (plays: ${names.map((n) => JSON.stringify(n)).join(', ')})` : ''}`);
    }
    byName.set(selector, matches);
  }
  const wanted = new Set<Play>();
  entries.forEach((entry, index) => {
    if (chosen.has(index)) for (const play of walkPlays({ plays: [entry] })) wanted.add(play);
  });
  for (const plays of byName.values()) for (const play of plays) wanted.add(play);
  // file order whatever order the selectors came in, each play once
  return [...walkPlays(playbook)].filter((play) => wanted.has(play));
}

/**
 * Tasks the plays start at most: fact gathering unless `gather_facts` is literally off, every action task
 * (imports and roles expanded) and every handler. Tags, `when` and dynamic includes can only make it fewer or
 * add tasks the model cannot see; consumers show `started/max(started, count)`.
 */
export function countPlannedTasks(plays: readonly Play[]): number {
  let count = 0;
  for (const play of plays) {
    const gather = play.keywords.gather_facts?.value;
    if (!(gather === false || ['no', 'false', 'off'].includes(String(gather ?? 'yes').toLowerCase()))) count++;
    for (const task of walkPlay(play)) if (isActionTask(task)) count++;
  }
  return count;
}
