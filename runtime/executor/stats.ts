/**
 * PLAY RECAP counting with ansible-core's rules: an ignored failure or ignored unreachable counts as ok and
 * ignored (+changed when it changed); a rescued failure counts as rescued, not failed.
 */
import type { HostStats } from '../events/types';

export type Outcome = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

export class RunStats {
  private readonly byHost = new Map<string, HostStats>();

  ensure(host: string): HostStats {
    let stats = this.byHost.get(host);
    if (!stats) {
      stats = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
      this.byHost.set(host, stats);
    }
    return stats;
  }

  ok(host: string, changed: boolean): void {
    const s = this.ensure(host);
    s.ok++;
    if (changed) s.changed++;
  }

  ignored(host: string, changed: boolean): void {
    const s = this.ensure(host);
    s.ok++;
    s.ignored++;
    if (changed) s.changed++;
  }

  failed(host: string): void {
    this.ensure(host).failed++;
  }

  /** a failure handled by a rescue section (never counted as failed) */
  rescued(host: string): void {
    this.ensure(host).rescued++;
  }

  skipped(host: string): void {
    this.ensure(host).skipped++;
  }

  unreachable(host: string): void {
    this.ensure(host).unreachable++;
  }

  snapshot(): Record<string, HostStats> {
    const out: Record<string, HostStats> = {};
    for (const host of [...this.byHost.keys()].sort()) out[host] = { ...this.byHost.get(host)! };
    return out;
  }

  /** ansible-playbook's exit code: 4 when any host was unreachable, 2 when any failed, else 0 */
  exitCode(): number {
    let failed = false;
    let unreachable = false;
    for (const s of this.byHost.values()) {
      if (s.unreachable > 0) unreachable = true;
      if (s.failed > 0) failed = true;
    }
    return unreachable ? 4 : failed ? 2 : 0;
  }
}
