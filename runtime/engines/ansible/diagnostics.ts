/**
 * Reads ansible-playbook's stderr: `[WARNING]:` blocks become warning events as they arrive, `ERROR!` blocks
 * (2.14-2.18) and `[ERROR]:` blocks (2.19) become error events with the file:line:col Ansible names, so a
 * parse error lands in the editor's problems like one found by our own parser.
 */
import type { SourcePosition } from '../../events/types';

export interface Diagnostic {
  severity: 'warning' | 'error';
  message: string;
  position?: SourcePosition;
}

const WARNING_START = /^\[(?:DEPRECATION )?WARNING\]: ?/;
const ERROR_START = /^(?:ERROR! ?|\[ERROR\]: ?)/;
// 2.14-2.18: "The error appears to be in '/p/play.yml': line 10, column 7, but may"
const CLASSIC_POSITION = /The error appears to be in '([^']+)': line (\d+), column (\d+)/;
// 2.19: "Origin: /p/play.yml:10:7"
const ORIGIN_POSITION = /^Origin: (.+?):(\d+)(?::(\d+))?\s*$/m;

export function parseErrorBlock(block: string): Diagnostic {
  const body = block.replace(ERROR_START, '');
  const cut = body.search(/\n\s*(?:The error appears to be in '|Origin: )/);
  const messageText = (cut >= 0 ? body.slice(0, cut) : body)
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
  const classic = CLASSIC_POSITION.exec(body);
  const origin = classic ? null : ORIGIN_POSITION.exec(body);
  const match = classic ?? origin;
  const position = match ? { file: match[1]!, line: Number(match[2]), column: Number(match[3] ?? 1) } : undefined;
  return { severity: 'error', message: messageText || body.trim(), ...(position ? { position } : {}) };
}

/** Splits a whole stderr text into its ERROR blocks (each runs until the next warning or error). */
export function parseErrors(stderr: string): Diagnostic[] {
  const lines = stderr.split('\n');
  const blocks: string[][] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    if (ERROR_START.test(line)) {
      current = [line];
      blocks.push(current);
    } else if (WARNING_START.test(line)) current = undefined;
    else current?.push(line);
  }
  return blocks.map((block) => parseErrorBlock(block.join('\n')));
}

/**
 * Streams warnings out of stderr chunks. Ansible wraps warnings at 79 columns with no end marker, so a warning is
 * complete at the next block start, at a blank line, after a short quiet period, or at the end of the stream.
 */
export class StderrReader {
  private text = '';
  private partial = '';
  private pending: string[] | undefined;
  private inError = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly onWarning: (diagnostic: Diagnostic) => void,
    private readonly quietMs = 250,
  ) {}

  push(chunk: string): void {
    this.text += chunk;
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
    if (this.timer) clearTimeout(this.timer);
    if (this.pending) {
      this.timer = setTimeout(() => this.flush(), this.quietMs);
      this.timer.unref?.();
    }
  }

  /** Ends the stream: flushes the last warning and returns the errors found in the whole text. */
  finish(): Diagnostic[] {
    if (this.partial) this.line(this.partial);
    this.partial = '';
    this.flush();
    if (this.timer) clearTimeout(this.timer);
    return parseErrors(this.text);
  }

  get all(): string {
    return this.text;
  }

  private line(line: string): void {
    if (WARNING_START.test(line)) {
      this.flush();
      this.inError = false;
      this.pending = [line.replace(WARNING_START, '')];
    } else if (ERROR_START.test(line)) {
      this.flush();
      this.inError = true;
    } else if (this.pending && line.trim() !== '' && !this.inError) {
      this.pending.push(line.trim());
    } else {
      this.flush();
    }
  }

  private flush(): void {
    if (!this.pending) return;
    const message = this.pending.join(' ').trim();
    this.pending = undefined;
    if (message) this.onWarning({ severity: 'warning', message });
  }
}
