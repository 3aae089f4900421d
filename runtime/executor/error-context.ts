/**
 * The "The error appears to be in '<file>': line N, column M ..." context Ansible appends to task errors,
 * with the offending line and the one before it.
 */
import type { Task } from '../playbook/model';

export function errorContext(task: Task): string | undefined {
  const file = task.file;
  if (!file?.text) return undefined;
  const { line, character } = file.position(task.span.start);
  const lines = file.text.split(/\r\n|\n|\r/);
  const previous = line > 0 ? lines[line - 1] : '';
  const current = lines[line] ?? '';
  return (
    `The error appears to be in '${file.path}': line ${line + 1}, column ${character + 1}, but may\n` +
    `be elsewhere in the file depending on the exact syntax problem.\n\n` +
    `The offending line appears to be:\n\n${previous}\n${current}\n${' '.repeat(character)}^ here\n`
  );
}
