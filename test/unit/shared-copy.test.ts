/**
 * test/fixtures/shared is the repository's copy of ../shared (examples and recorded truth) so a clean clone runs
 * the same tests. When ../shared is present, the copy must be identical to it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..');
const source = resolve(root, '..', 'shared');
const copy = join(root, 'test', 'fixtures', 'shared');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('shared corpora copy', () => {
  it('holds the examples and the recorded cases', () => {
    expect(files(join(copy, 'examples')).filter((f) => f.endsWith('.yml')).length).toBeGreaterThanOrEqual(8);
    expect(readdirSync(join(copy, 'truth', 'ansible-2.14')).length).toBeGreaterThanOrEqual(30);
    expect(existsSync(join(copy, 'truth', 'jinja', 'cases.json'))).toBe(true);
  });

  it.runIf(existsSync(join(source, 'truth')))('is identical to ../shared', () => {
    for (const part of ['examples', 'truth']) {
      const expected = files(join(source, part)).map((f) => relative(source, f)).sort();
      const actual = files(join(copy, part)).map((f) => relative(copy, f)).sort();
      expect(actual).toEqual(expected);
      for (const file of expected) expect(readFileSync(join(copy, file)).equals(readFileSync(join(source, file))), file).toBe(true);
    }
  });
});
