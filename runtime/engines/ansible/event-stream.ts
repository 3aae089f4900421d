/**
 * Reads the callback plugin's JSON lines and turns them into our events. The plugin reports what Ansible's
 * callbacks see; this side owns the run (seq/time/run are stamped by the EventEmitter) and the facts only the
 * parent knows: the process id, the detected core version and the exit code that belongs in the recap.
 */
import type { HostStats, RunEventInput, RunEventName } from '../../events/types';

const FORWARDED = new Set<RunEventName>([
  'playbook_on_play_start',
  'playbook_on_task_start',
  'playbook_on_handler_task_start',
  'runner_on_start',
  'runner_on_ok',
  'runner_on_failed',
  'runner_on_skipped',
  'runner_on_unreachable',
  'runner_item_on_ok',
  'runner_item_on_failed',
  'runner_item_on_skipped',
  'runner_retry',
  'runner_on_async_poll',
  'runner_on_async_ok',
  'runner_on_async_failed',
  'job_started',
  'job_status',
  'job_joined',
  'job_timeout',
  'job_lost',
  'job_cleaned',
  'warning',
  'error',
]);

export interface PluginStreamSink {
  event(input: RunEventInput): void;
  /** the recap; held back by the engine until the exit code is known */
  stats(stats: Record<string, HostStats>): void;
  /** a line that is not a JSON event: reported, never fatal */
  garbage(line: string, reason: string): void;
}

/** Splits a byte stream into lines and hands each parsed event to the sink. */
export class PluginStreamReader {
  private partial = '';
  private readonly decoder = new TextDecoder('utf-8');

  constructor(private readonly sink: PluginStreamSink) {}

  push(chunk: Uint8Array): void {
    const lines = (this.partial + this.decoder.decode(chunk, { stream: true })).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  end(): void {
    const rest = this.partial + this.decoder.decode();
    this.partial = '';
    // A torn last line means the plugin died mid-write: report it like any other unreadable line.
    if (rest.trim()) this.line(rest);
  }

  private line(line: string): void {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      this.sink.garbage(line, (error as Error).message);
      return;
    }
    if (typeof value !== 'object' || value === null || typeof (value as { event?: unknown }).event !== 'string') {
      this.sink.garbage(line, 'not an event object');
      return;
    }
    const { seq: _seq, time: _time, run: _run, ...input } = value as Record<string, unknown> & { event: string };
    if (input.event === 'playbook_on_stats') {
      this.sink.stats((input.stats ?? {}) as Record<string, HostStats>);
      return;
    }
    // playbook_on_start is the engine's own (it knows pid and version before Ansible has parsed anything);
    // names this build does not know are skipped so a newer plugin never confuses an older reader.
    if (FORWARDED.has(input.event as RunEventName)) this.sink.event(input as unknown as RunEventInput);
  }
}
