/**
 * Shell syntax in `command`: it runs without a shell (arguments split like shlex), so `&&`, `||`, `|`, `;`,
 * redirections, `$(...)` and backticks reach the program as plain arguments (`sleep 30 && echo done` makes
 * sleep fail on '&&'). `$VAR` is not reported: the command module expands environment variables itself.
 */
import type { Task } from '../../../runtime/playbook/model';
import type { Finding, Rule } from '../types';
import { locate, verbatimMapper, type LocatedString } from '../strings';

export interface ShellOperator {
  text: string;
  offset: number;
}

/** unquoted shell operators in a command line (outside '...', "..." and Jinja {{ }}/{% %}) */
export function shellOperators(line: string): ShellOperator[] {
  const out: ShellOperator[] = [];
  let quote: string | null = null;
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    const two = line.slice(i, i + 2);
    if (!quote && (two === '{{' || two === '{%')) {
      const close = line.indexOf(two === '{{' ? '}}' : '%}', i + 2);
      i = close < 0 ? line.length : close + 2;
      continue;
    }
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
      i++;
      continue;
    }
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      i++;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) break; // a shell comment would be an argument too, but rare
    const three = line.slice(i, i + 3);
    let op: string | undefined;
    if (two === '&&' || two === '||' || two === '>>' || two === '$(' || /^[12]>/.test(two) || two === '<<') op = /^[12]>/.test(two) ? (three === '2>&' || three === '1>&' ? line.slice(i, i + 4) : two) : two;
    else if (c === '|' || c === ';' || c === '>' || c === '<' || c === '`') op = c;
    else if (c === '&' && (i + 1 >= line.length || /\s/.test(line[i + 1])) && (i === 0 || /\s/.test(line[i - 1]))) op = c;
    if (op === '`') {
      // one report per command substitution: skip to the closing backtick
      out.push({ text: op, offset: i });
      const close = line.indexOf('`', i + 1);
      i = close < 0 ? line.length : close + 1;
      continue;
    }
    if (op) {
      // a digit right before > that is part of a word (e.g. "a2>b") is still a redirection for the shell
      const atWordStart = /^[12]>/.test(op) ? i === 0 || /\s/.test(line[i - 1]) : true;
      if (atWordStart) {
        out.push({ text: op, offset: i });
        i += op.length;
        continue;
      }
    }
    i++;
  }
  return out;
}

function commandLine(task: Task): LocatedString | undefined {
  if (task.freeForm && typeof task.freeForm.value === 'string') {
    const e = task.freeForm;
    return { text: e.value, key: '_raw_params', where: 'free-form', span: e.valueSpan, at: verbatimMapper(task.file, e.valueSpan, e.value) };
  }
  const cmd = task.args.cmd;
  if (cmd && typeof cmd.value === 'string') return { text: cmd.value, key: 'cmd', where: 'arg', span: cmd.valueSpan, at: verbatimMapper(task.file, cmd.valueSpan, cmd.value) };
  return undefined;
}

/** replaces the module key: command → shell, keeping an ansible.builtin./ansible.legacy. prefix */
function toShellFix(task: Task) {
  if (!task.actionSpan || !task.action) return undefined;
  const written = task.file.text.slice(task.actionSpan.start, task.actionSpan.end);
  if (written !== task.action) return undefined;
  const replacement = written.replace(/command$/, 'shell');
  if (replacement === written) return undefined;
  return { title: `Use ${replacement} (runs through /bin/sh)`, edits: [{ span: task.actionSpan, newText: replacement }], preferred: true };
}

export const commandShellSyntax: Rule = {
  code: 'command-shell-syntax',
  severity: 'warning',
  description: 'shell operators in command (no shell: they become plain arguments)',
  check({ facts }) {
    const out: Finding[] = [];
    for (const { task } of facts.tasks) {
      if (task.module !== 'command') continue;
      const line = commandLine(task);
      if (!line) continue;
      const ops = shellOperators(line.text);
      if (!ops.length) continue;
      const first = ops[0];
      const program = line.text.trim().split(/\s+/)[0] ?? '';
      const fix = toShellFix(task);
      out.push({
        code: this.code, severity: this.severity, file: task.file,
        span: locate(line, first.offset, first.offset + first.text.length),
        message: `command runs without a shell: ${[...new Set(ops.map((o) => `'${o.text}'`))].join(', ')} ${ops.length > 1 ? 'are' : 'is'} passed to ${program || 'the program'} as ${ops.length > 1 ? 'plain arguments' : 'a plain argument'}, not interpreted. Use shell for shell syntax.`,
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
    return out;
  },
};
