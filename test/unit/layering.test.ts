/**
 * The layering in DESIGN.md, checked on the sources: runtime knows nothing of VS Code or the server;
 * server and client never import each other (they meet only through LSP and the event protocol).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../host/sshd';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

const forbidden: Record<string, RegExp[]> = {
  runtime: [/^vscode($|-)/, /\/server\//, /\/client\//, /\/cli\//, /^\.\.\/\.\.\/server/],
  server: [/^vscode$/, /^vscode-languageclient/, /\/client\//, /\/cli\//],
  client: [/\/server\//, /^vscode-languageserver($|\/)/],
};

describe('layering', () => {
  for (const [layer, patterns] of Object.entries(forbidden)) {
    it(`${layer}/ imports nothing it must not`, () => {
      const files = sources(join(projectRoot, layer));
      expect(files.length).toBeGreaterThan(0);
      const violations = files.flatMap((file) =>
        importsOf(file)
          .filter((spec) => patterns.some((p) => p.test(spec)))
          .map((spec) => `${relative(projectRoot, file)} imports ${spec}`),
      );
      expect(violations).toEqual([]);
    });
  }
});
