/**
 * Questions the run asks its client over the JSON-lines channel (the VS Code extension answers them):
 * an unknown host key (`host_key_prompt` → `{"trust": bool}`) and a key passphrase (`secret_prompt` →
 * `{"secret": "..."}`). One question at a time; each answer is one JSON line on stdin.
 */
import { createInterface, type Interface } from 'node:readline';

export class StdinAnswers {
  private reader?: Interface;
  private readonly waiting: ((line: string | undefined) => void)[] = [];
  private readonly buffered: string[] = [];
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly write: (line: string) => void) {}

  private start(): void {
    if (this.reader) return;
    this.reader = createInterface({ input: process.stdin });
    this.reader.on('line', (line) => {
      const next = this.waiting.shift();
      if (next) next(line);
      else this.buffered.push(line);
    });
    this.reader.on('close', () => {
      this.closed = true;
      for (const w of this.waiting.splice(0)) w(undefined);
    });
  }

  private nextLine(): Promise<string | undefined> {
    this.start();
    if (this.buffered.length) return Promise.resolve(this.buffered.shift());
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** writes the question and reads one JSON answer (serialised: concurrent hosts wait their turn) */
  ask(question: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
    const answer = this.queue.then(async () => {
      this.write(JSON.stringify(question));
      const line = await this.nextLine();
      if (line === undefined) return undefined;
      try {
        const value = JSON.parse(line) as unknown;
        return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
      } catch {
        return undefined;
      }
    });
    this.queue = answer.catch(() => undefined);
    return answer;
  }

  close(): void {
    this.reader?.close();
    // stdin would keep the process alive otherwise
    process.stdin.unref?.();
  }
}
