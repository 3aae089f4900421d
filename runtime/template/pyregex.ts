/**
 * Python `re` patterns and replacement strings translated to JavaScript RegExp. Covers the syntax that
 * differs and that playbooks use: (?P<name>...), (?P=name), \A, \Z, inline flags (?i)(?m)(?s)(?x),
 * and replacement strings with \1, \g<1>, \g<name>.
 */
import { TemplateError } from './errors';

const cache = new Map<string, RegExp>();

export interface RegexFlags {
  ignorecase?: boolean;
  multiline?: boolean;
  dotall?: boolean;
}

function stripVerbose(p: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      out += c + (p[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '#') {
      while (i < p.length && p[i] !== '\n') i++;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}

/** Python treats `{` and `}` that do not form a quantifier as literals; unicode-mode JS rejects them */
function escapeLiteralBraces(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      out += c + (p[i + 1] ?? '');
      i++;
    } else if (c === '{') {
      const q = /^\{\d*(,\d*)?\}/.exec(p.slice(i));
      if (q && q[0] !== '{}' && q[0] !== '{,}') {
        out += q[0].startsWith('{,') ? '{0' + q[0].slice(1) : q[0];
        i += q[0].length - 1;
      } else out += '\\{';
    } else if (c === '}') out += '\\}';
    else out += c;
  }
  return out;
}

/** Compiles a Python regex (cached); `sticky` anchors like re.match, `global` for findall/sub */
export function pyRegex(pattern: string, flags: RegexFlags = {}, mode: '' | 'g' | 'y' = ''): RegExp {
  const key = `${mode}${flags.ignorecase ? 'i' : ''}${flags.multiline ? 'm' : ''}${flags.dotall ? 's' : ''}\u0000${pattern}`;
  const hit = cache.get(key);
  if (hit) {
    hit.lastIndex = 0;
    return hit;
  }
  let p = pattern;
  let f = 'u';
  if (flags.ignorecase) f += 'i';
  if (flags.multiline) f += 'm';
  if (flags.dotall) f += 's';
  // leading inline flags: (?imsx)
  const inline = /^\(\?([aiLmsux]+)\)/.exec(p);
  if (inline) {
    p = p.slice(inline[0].length);
    for (const c of inline[1]) {
      if ('ims'.includes(c) && !f.includes(c)) f += c;
    }
    if (inline[1].includes('x')) p = stripVerbose(p);
  }
  p = p
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$(?![\\s\\S])');
  p = escapeLiteralBraces(p);
  if (mode) f += mode;
  let re: RegExp;
  try {
    re = new RegExp(p, f);
  } catch (e) {
    try {
      re = new RegExp(p, f.replace('u', ''));
    } catch {
      throw new TemplateError('filter', `invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`, -1, -1);
    }
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, re);
  return re;
}

/** Python re.sub replacement template -> function of the match */
export function pyReplacement(repl: string): (m: RegExpExecArray | RegExpMatchArray) => string {
  if (!repl.includes('\\')) return () => repl;
  const parts: (string | number | { name: string })[] = [];
  let lit = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i];
    if (c !== '\\' || i + 1 >= repl.length) {
      lit += c;
      continue;
    }
    const n = repl[i + 1];
    if (/\d/.test(n)) {
      let digits = n;
      if (/\d/.test(repl[i + 2] ?? '')) digits += repl[i + 2];
      parts.push(lit, Number(digits));
      lit = '';
      i += digits.length;
    } else if (n === 'g' && repl[i + 2] === '<') {
      const close = repl.indexOf('>', i + 3);
      const name = repl.slice(i + 3, close);
      parts.push(lit, /^\d+$/.test(name) ? Number(name) : { name });
      lit = '';
      i = close;
    } else {
      const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', f: '\f', v: '\v', a: '\x07', b: '\b' };
      lit += esc[n] ?? '\\' + n;
      i++;
    }
  }
  parts.push(lit);
  return (m) => {
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') out += p;
      else if (typeof p === 'number') out += m[p] ?? '';
      else out += m.groups?.[p.name] ?? '';
    }
    return out;
  };
}
