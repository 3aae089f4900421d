/** Jinja syntax errors at their exact span (the task fails when the template is rendered). */
import type { Finding, Rule } from '../types';
import { jinjaUsesOf } from '../jinja';
import { locate } from '../strings';

export const jinjaSyntax: Rule = {
  code: 'jinja-syntax',
  severity: 'error',
  description: 'Jinja syntax error in a template or conditional',
  check({ facts }) {
    const out: Finding[] = [];
    for (const { task } of facts.tasks) {
      for (const use of jinjaUsesOf(task)) {
        for (const e of use.analysis.errors) {
          out.push({
            code: this.code, severity: this.severity, file: task.file,
            span: locate(use.string, e.offset, Math.max(e.end, e.offset + 1)),
            message: `${use.mode === 'expression' ? `${use.string.key}: ` : ''}template error: ${e.message}`,
          });
        }
      }
    }
    return out;
  },
};
