/**
 * Stamps events (seq, time, run) and hands each one to the journal before any other listener sees it:
 * the journal is the source of truth that a reload or `jobs attach` re-reads, so nothing shown can be lost.
 */
import type { RunEvent, RunEventInput } from './types';

export type EventListener = (event: RunEvent) => void;

export class EventEmitter {
  private seq = 0;
  private readonly listeners: EventListener[] = [];

  constructor(
    readonly runId: string,
    /** called first and synchronously for every event (the journal) */
    private readonly journal?: EventListener,
  ) {}

  on(listener: EventListener): void {
    this.listeners.push(listener);
  }

  emit(input: RunEventInput): RunEvent {
    const event = { ...input, seq: ++this.seq, time: new Date().toISOString(), run: this.runId } as RunEvent;
    this.journal?.(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }
}
