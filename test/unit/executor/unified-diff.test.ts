import { describe, expect, it } from 'vitest';
import { formatDiff } from '../../../runtime/output/diff';
import { splitLinesKeepEnds, unifiedDiff } from '../../../runtime/output/unified-diff';

// expected texts are what Python's difflib.unified_diff / Ansible's _get_diff produce for the same input
describe('unified diff like difflib', () => {
  it('one changed line in the middle, context 3, hunk ranges', () => {
    const a = splitLinesKeepEnds('1\n2\n3\n4\n5\n6\n7\n8\n9\n');
    const b = splitLinesKeepEnds('1\n2\n3\n4\nfive\n6\n7\n8\n9\n');
    expect(unifiedDiff(a, b, 'before: f', 'after: f').join('')).toBe('--- before: f\n+++ after: f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n');
  });

  it('two distant changes make two hunks; insert into empty file uses -0,0', () => {
    const a = splitLinesKeepEnds(Array.from({ length: 20 }, (_, i) => `${i}\n`).join(''));
    const b = [...a];
    b[1] = 'x\n';
    b[18] = 'y\n';
    expect(unifiedDiff(a, b, 'a', 'b').filter((l) => l.startsWith('@@'))).toEqual(['@@ -1,5 +1,5 @@\n', '@@ -16,5 +16,5 @@\n']);
    expect(unifiedDiff([], ['new\n'], 'before', 'after').join('')).toBe('--- before\n+++ after\n@@ -0,0 +1 @@\n+new\n');
    expect(unifiedDiff(['same\n'], ['same\n'], 'a', 'b')).toEqual([]);
  });

  it('Ansible framing: missing final newline note, mappings as sorted JSON, trailing blank line, binary notes', () => {
    const text = formatDiff({ before: 'a', after: 'b', before_header: '/f', after_header: '/src' }).map((l) => l.text).join('');
    expect(text).toBe('--- before: /f\n+++ after: /src\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n\n');
    const state = formatDiff({ before: { path: '/d', state: 'absent' }, after: { path: '/d', state: 'directory' } }).map((l) => l.text).join('');
    expect(state).toBe('--- before\n+++ after\n@@ -1,4 +1,4 @@\n {\n     "path": "/d",\n-    "state": "absent"\n+    "state": "directory"\n }\n\n');
    expect(formatDiff([{ dst_binary: 1, after: 'x', after_header: 'y' }]).map((l) => l.text)[0]).toBe('diff skipped: destination file appears to be binary\n');
  });
});
