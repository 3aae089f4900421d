/**
 * Splits a byte stream into JSON-lines records. A line that is not JSON is handed back as text rather than
 * dropped (a crashing child may print a stack trace on stdout), and a torn final line waits for its end.
 */
export type JsonLine = { kind: 'json'; value: Record<string, unknown> } | { kind: 'text'; text: string };

export class JsonLineSplitter {
  private pending = '';

  push(chunk: string): JsonLine[] {
    this.pending += chunk;
    const lines = this.pending.split('\n');
    this.pending = lines.pop() ?? '';
    return lines.flatMap((line) => parseLine(line));
  }

  /** Whatever is left when the stream ends. */
  end(): JsonLine[] {
    const rest = this.pending;
    this.pending = '';
    return parseLine(rest);
  }
}

function parseLine(raw: string): JsonLine[] {
  const line = raw.replace(/\r$/, '');
  if (line.trim() === '') return [];
  if (line.trimStart().startsWith('{')) {
    try {
      const value = JSON.parse(line) as unknown;
      if (value && typeof value === 'object' && !Array.isArray(value)) return [{ kind: 'json', value: value as Record<string, unknown> }];
    } catch {
      // falls through: shown as text
    }
  }
  return [{ kind: 'text', text: line }];
}
