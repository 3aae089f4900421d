/** Peak resident memory of a process and all its descendants (ansible-lint children count), sampled from /proc. */
import { readdirSync, readFileSync } from 'node:fs';

function children(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // the command may contain spaces and parentheses: the fields after the last ')' are fixed
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = byParent.get(ppid) ?? [];
      list.push(Number(name));
      byParent.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  return byParent;
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export function treeRssKb(root: number): number {
  const byParent = children();
  let total = 0;
  const stack = [root];
  const seen = new Set<number>();
  while (stack.length) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    total += rssKb(pid);
    stack.push(...(byParent.get(pid) ?? []));
  }
  return total;
}

export class PeakRss {
  peakKb = 0;
  private timer: NodeJS.Timeout;
  constructor(private readonly pid: number, intervalMs = 25) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.sample();
  }
  sample(): void {
    this.peakKb = Math.max(this.peakKb, treeRssKb(this.pid));
  }
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peakKb;
  }
}
