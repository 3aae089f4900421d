/** ANSI colours of Ansible's default callback (ok green, changed yellow, failed red, skipped cyan, ...). */
const CODES = {
  green: '0;32',
  yellow: '0;33',
  red: '0;31',
  brightRed: '1;31',
  cyan: '0;36',
  purple: '0;35',
  brightPurple: '1;35',
} as const;

export type Color = keyof typeof CODES;

export function colorize(text: string, color: Color | undefined, enabled: boolean): string {
  if (!enabled || !color) return text;
  // colour line by line like Ansible's stringc so multi-line JSON stays readable in pagers
  return text
    .split('\n')
    .map((line) => `\u001b[${CODES[color]}m${line}\u001b[0m`)
    .join('\n');
}
