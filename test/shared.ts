/**
 * Where the shared corpora live: the article's examples and the cases recorded from real ansible-core.
 * `../shared` beside the checkout is the source; `test/fixtures/shared` is a copy kept in the repository so a
 * clean clone on its own (CI) runs the same tests. PS_SHARED_DIR overrides both.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** the checkout: the nearest folder above this file (or above its bundle, for benchmarks) that holds test/shared.ts */
function findProjectRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'test', 'shared.ts'))) return dir;
    if (dirname(dir) === dir) return resolve(__dirname, '..');
  }
}

const projectRoot = findProjectRoot();

function locate(): string {
  const candidates = [process.env.PS_SHARED_DIR, resolve(projectRoot, '..', 'shared'), join(projectRoot, 'test', 'fixtures', 'shared')];
  for (const candidate of candidates) {
    if (candidate && existsSync(join(candidate, 'truth', 'ansible-2.14')) && existsSync(join(candidate, 'examples'))) return candidate;
  }
  throw new Error('the shared corpora (examples/, truth/) were not found beside the checkout nor in test/fixtures/shared');
}

export const sharedDir = locate();
export const examplesDir = join(sharedDir, 'examples');
export const truthDir = join(sharedDir, 'truth', 'ansible-2.14');
export const jinjaTruthDir = join(sharedDir, 'truth', 'jinja');
