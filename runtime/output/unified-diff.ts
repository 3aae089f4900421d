/**
 * Python's difflib.unified_diff (with SequenceMatcher's matching, autojunk included), so a `--diff` hunk is
 * line for line what ansible-playbook prints. Lines keep their own line endings, as Python's splitlines(True).
 */

interface Match {
  a: number;
  b: number;
  size: number;
}

type Opcode = ['equal' | 'replace' | 'delete' | 'insert', number, number, number, number];

class SequenceMatcher {
  private readonly b2j = new Map<string, number[]>();

  constructor(
    private readonly a: string[],
    private readonly b: string[],
  ) {
    b.forEach((line, i) => {
      const list = this.b2j.get(line);
      if (list) list.push(i);
      else this.b2j.set(line, [i]);
    });
    // autojunk: in sequences of 200+ items, items making up more than 1% are "popular" and not matched on
    if (b.length >= 200) {
      const limit = Math.floor(b.length / 100) + 1;
      for (const [line, indices] of [...this.b2j]) if (indices.length > limit) this.b2j.delete(line);
    }
  }

  private longestMatch(alo: number, ahi: number, blo: number, bhi: number): Match {
    let besti = alo;
    let bestj = blo;
    let bestsize = 0;
    let j2len = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const next = new Map<number, number>();
      for (const j of this.b2j.get(this.a[i]) ?? []) {
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = (j2len.get(j - 1) ?? 0) + 1;
        next.set(j, k);
        if (k > bestsize) {
          besti = i - k + 1;
          bestj = j - k + 1;
          bestsize = k;
        }
      }
      j2len = next;
    }
    // extend with equal (popular) lines on both sides, as difflib does for junk-free matches
    while (besti > alo && bestj > blo && this.a[besti - 1] === this.b[bestj - 1]) {
      besti--;
      bestj--;
      bestsize++;
    }
    while (besti + bestsize < ahi && bestj + bestsize < bhi && this.a[besti + bestsize] === this.b[bestj + bestsize]) bestsize++;
    return { a: besti, b: bestj, size: bestsize };
  }

  matchingBlocks(): Match[] {
    const queue: [number, number, number, number][] = [[0, this.a.length, 0, this.b.length]];
    const blocks: Match[] = [];
    while (queue.length) {
      const [alo, ahi, blo, bhi] = queue.pop()!;
      const m = this.longestMatch(alo, ahi, blo, bhi);
      if (m.size) {
        blocks.push(m);
        if (alo < m.a && blo < m.b) queue.push([alo, m.a, blo, m.b]);
        if (m.a + m.size < ahi && m.b + m.size < bhi) queue.push([m.a + m.size, ahi, m.b + m.size, bhi]);
      }
    }
    blocks.sort((x, y) => x.a - y.a || x.b - y.b);
    // merge adjacent blocks
    const merged: Match[] = [];
    for (const block of blocks) {
      const last = merged[merged.length - 1];
      if (last && last.a + last.size === block.a && last.b + last.size === block.b) last.size += block.size;
      else merged.push({ ...block });
    }
    merged.push({ a: this.a.length, b: this.b.length, size: 0 });
    return merged;
  }

  opcodes(): Opcode[] {
    let i = 0;
    let j = 0;
    const out: Opcode[] = [];
    for (const { a, b, size } of this.matchingBlocks()) {
      const tag = i < a && j < b ? 'replace' : i < a ? 'delete' : j < b ? 'insert' : undefined;
      if (tag) out.push([tag, i, a, j, b]);
      i = a + size;
      j = b + size;
      if (size) out.push(['equal', a, i, b, j]);
    }
    return out;
  }

  groupedOpcodes(n: number): Opcode[][] {
    let codes = this.opcodes();
    if (codes.length === 0) codes = [['equal', 0, 1, 0, 1]];
    if (codes[0][0] === 'equal') {
      const [, i1, i2, j1, j2] = codes[0];
      codes[0] = ['equal', Math.max(i1, i2 - n), i2, Math.max(j1, j2 - n), j2];
    }
    const last = codes.length - 1;
    if (codes[last][0] === 'equal') {
      const [, i1, i2, j1, j2] = codes[last];
      codes[last] = ['equal', i1, Math.min(i2, i1 + n), j1, Math.min(j2, j1 + n)];
    }
    const nn = n + n;
    const groups: Opcode[][] = [];
    let group: Opcode[] = [];
    for (const [tag, i1Raw, i2Raw, j1Raw, j2Raw] of codes) {
      let i1 = i1Raw;
      let j1 = j1Raw;
      let i2 = i2Raw;
      let j2 = j2Raw;
      if (tag === 'equal' && i2 - i1 > nn) {
        group.push(['equal', i1, Math.min(i2, i1 + n), j1, Math.min(j2, j1 + n)]);
        groups.push(group);
        group = [];
        i1 = Math.max(i1, i2 - n);
        j1 = Math.max(j1, j2 - n);
      }
      group.push([tag, i1, i2, j1, j2]);
    }
    if (group.length && !(group.length === 1 && group[0][0] === 'equal')) groups.push(group);
    return groups;
  }
}

function range(start: number, stop: number): string {
  let beginning = start + 1;
  const length = stop - start;
  if (length === 1) return `${beginning}`;
  if (!length) beginning -= 1;
  return `${beginning},${length}`;
}

/** difflib.unified_diff(a, b, fromfile, tofile, n=context) as a list of lines (each ends with "\n" like difflib's) */
export function unifiedDiff(a: string[], b: string[], fromFile: string, toFile: string, context = 3): string[] {
  const out: string[] = [];
  let started = false;
  for (const group of new SequenceMatcher(a, b).groupedOpcodes(context)) {
    if (!started) {
      started = true;
      out.push(`--- ${fromFile}\n`, `+++ ${toFile}\n`);
    }
    const first = group[0];
    const last = group[group.length - 1];
    out.push(`@@ -${range(first[1], last[2])} +${range(first[3], last[4])} @@\n`);
    for (const [tag, i1, i2, j1, j2] of group) {
      if (tag === 'equal') {
        for (const line of a.slice(i1, i2)) out.push(' ' + line);
        continue;
      }
      if (tag === 'replace' || tag === 'delete') for (const line of a.slice(i1, i2)) out.push('-' + line);
      if (tag === 'replace' || tag === 'insert') for (const line of b.slice(j1, j2)) out.push('+' + line);
    }
  }
  return out;
}

/** Python's str.splitlines(keepends=True) for the line breaks files use */
export function splitLinesKeepEnds(text: string): string[] {
  return text.match(/[^\n\r]*(?:\r\n|\n|\r)|[^\n\r]+$/g) ?? [];
}
