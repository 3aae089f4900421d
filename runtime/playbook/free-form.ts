/**
 * Ansible's free-form argument parsing (`file: path=/x state=touch`, `command: chdir=/tmp ls -l`): split on
 * whitespace outside quotes and Jinja blocks, then `k=v` tokens become options. For command-like modules only a
 * fixed set of keys are options and everything else stays the command line (_raw_params), as in parse_kv's
 * check_raw mode.
 */

export interface Token {
  text: string;
  /** offset of the token inside the parsed string */
  start: number;
}

/** keys parse_kv keeps as options in check_raw mode (command, shell, raw, script) */
export const RAW_MODE_KEYS: ReadonlySet<string> = new Set([
  'creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends',
]);

export function splitArgs(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i])) i++;
    if (i >= n) break;
    const start = i;
    let quote: string | null = null;
    let jinjaDepth = 0;
    while (i < n) {
      const c = text[i];
      const two = text.slice(i, i + 2);
      if (jinjaDepth === 0 && quote === null && /\s/.test(c)) break;
      if (two === '{{' || two === '{%' || two === '{#') {
        jinjaDepth++;
        i += 2;
        continue;
      }
      if (jinjaDepth > 0 && (two === '}}' || two === '%}' || two === '#}')) {
        jinjaDepth--;
        i += 2;
        continue;
      }
      if (jinjaDepth === 0) {
        if (c === '\\' && i + 1 < n) {
          i += 2;
          continue;
        }
        if (quote === null && (c === '"' || c === "'")) quote = c;
        else if (quote === c) quote = null;
      }
      i++;
    }
    tokens.push({ text: text.slice(start, i), start });
  }
  return tokens;
}

/** removes one pair of matching surrounding quotes */
export function unquote(text: string): string {
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0]) return text.slice(1, -1);
  return text;
}

/** position of the first `=` outside quotes and not escaped, or -1 */
function kvSplit(token: string): number {
  let quote: string | null = null;
  for (let i = 0; i < token.length; i++) {
    const c = token[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (quote === null && (c === '"' || c === "'")) quote = c;
    else if (quote === c) quote = null;
    else if (c === '=' && quote === null) return i;
  }
  return -1;
}

export interface KeyValue {
  key: string;
  value: string;
  /** offsets inside the parsed string */
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

export interface ParsedFreeForm {
  options: KeyValue[];
  /** the remaining text (the command line for command-like modules), or undefined when empty */
  raw?: { text: string; start: number; end: number };
}

export function parseKeyValues(text: string, checkRaw: boolean): ParsedFreeForm {
  const options: KeyValue[] = [];
  const rawTokens: Token[] = [];
  for (const token of splitArgs(text)) {
    const eq = kvSplit(token.text);
    // a key must look like a name; `echo a=b` keeps its argument, `{{ x }}=y` is not an option
    const key = eq > 0 ? token.text.slice(0, eq) : '';
    if (eq > 0 && /^[A-Za-z_][\w-]*$/.test(key) && (!checkRaw || RAW_MODE_KEYS.has(key))) {
      options.push({
        key,
        value: unquote(token.text.slice(eq + 1)),
        keyStart: token.start,
        valueStart: token.start + eq + 1,
        valueEnd: token.start + token.text.length,
      });
    } else {
      rawTokens.push(token);
    }
  }
  if (rawTokens.length === 0) return { options };
  const first = rawTokens[0];
  const last = rawTokens[rawTokens.length - 1];
  const end = last.start + last.text.length;
  // when no option sits between raw tokens keep the original spacing; otherwise join like join_args
  const contiguous = options.every((o) => o.valueEnd <= first.start || o.keyStart >= end);
  const rawText = contiguous ? text.slice(first.start, end) : rawTokens.map((t) => t.text).join(' ');
  return { options, raw: { text: rawText, start: first.start, end } };
}
