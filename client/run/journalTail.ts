/**
 * Follows a journal file as another process appends to it (`jobs attach` journals the events it observes into
 * the run's own journal): reads what was added since the last look and hands over complete JSON lines.
 * Pure Node: no VS Code import.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { JsonLineSplitter } from './jsonLines';

export class JournalTail {
  private offset: number;
  private readonly splitter = new JsonLineSplitter();
  private timer: NodeJS.Timeout | undefined;

  /** Starts at the current end of the file: what is already there was read when the run was rebuilt. */
  constructor(private readonly path: string, private readonly onEvent: (value: Record<string, unknown>) => void) {
    let size = 0;
    try {
      size = statSync(path).size;
    } catch {
      // not written yet
    }
    this.offset = size;
  }

  start(intervalMs = 200): void {
    this.timer ??= setInterval(() => this.read(), intervalMs);
  }

  /** Reads the rest and stops following. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.read();
    this.splitter.end().forEach((line) => line.kind === 'json' && this.onEvent(line.value));
  }

  read(): void {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return;
    }
    try {
      const size = fstatSync(fd).size;
      if (size < this.offset) this.offset = 0; // replaced: start over
      while (this.offset < size) {
        const buffer = Buffer.alloc(Math.min(1 << 20, size - this.offset));
        const count = readSync(fd, buffer, 0, buffer.length, this.offset);
        if (count <= 0) break;
        this.offset += count;
        for (const line of this.splitter.push(buffer.subarray(0, count).toString('utf8'))) if (line.kind === 'json') this.onEvent(line.value);
      }
    } finally {
      closeSync(fd);
    }
  }
}
