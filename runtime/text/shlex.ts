/**
 * Python's `shlex.split(text, comments=...)` in POSIX mode, the one splitter both users of it need:
 * the command module turns `command: echo "a b"` into argv with it (comments off), and Ansible's INI inventory
 * parser splits host lines with it (comments on, so `pw=a#b` gives `pw=a`).
 * Rules: whitespace (space, tab, CR, LF) separates words; '...' is literal; inside "..." a backslash escapes only
 * `"` and `\`; outside quotes a backslash escapes the next character (a newline too). Nothing is expanded.
 */
export class ShlexError extends Error {}

const WHITESPACE = ' \t\r\n';

export function shlexSplit(text: string, options: { comments?: boolean } = {}): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (WHITESPACE.includes(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === '#' && options.comments) {
      // the rest of the line is a comment; shlex then continues on the next line
      const newline = text.indexOf('\n', i);
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      if (newline < 0) break;
      i = newline + 1;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new ShlexError('No closing quotation');
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      inWord = true;
      for (;;) {
        if (i >= text.length) throw new ShlexError('No closing quotation');
        const d = text[i];
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
          word += text[i + 1];
          i += 2;
          continue;
        }
        word += d;
        i++;
      }
    } else if (c === '\\') {
      if (i + 1 >= text.length) throw new ShlexError('No escaped character');
      word += text[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
