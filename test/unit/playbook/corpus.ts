/** The shared corpora (the article's examples and the recorded Ansible cases), read in place. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parsePlaybook, type Playbook } from '../../../runtime/playbook';

export { sharedDir, examplesDir, truthDir } from '../../shared';
import { examplesDir, truthDir } from '../../shared';
export const fixturesDir = resolve(__dirname, '..', '..', 'fixtures', 'playbooks');

export function exampleFiles(): string[] {
  return readdirSync(examplesDir).filter((f) => f.endsWith('.yml')).sort().map((f) => join(examplesDir, f));
}

export function truthCases(): { name: string; dir: string; playbook: string }[] {
  return readdirSync(truthDir)
    .filter((d) => existsSync(join(truthDir, d, 'playbook.yml')))
    .sort()
    .map((name) => ({ name, dir: join(truthDir, name), playbook: join(truthDir, name, 'playbook.yml') }));
}

export function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

export function load(path: string): Playbook {
  return parsePlaybook(path, readFileSync(path, 'utf8'), { readFile: readIfExists });
}

export interface TruthEvent {
  event: string;
  task?: string;
  result?: Record<string, unknown>;
  [key: string]: unknown;
}

export function events(caseDir: string): TruthEvent[] {
  return readFileSync(join(caseDir, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as TruthEvent);
}
