/**
 * `{{ }}` inside when/until/changed_when/failed_when: Ansible warns ("conditional statements should not
 * include jinja2 templating delimiters such as {{ }} or {% %}"), 2.19 deprecates it, and a template that
 * yields a string from a module result fails as unsafe.
 */
import type { Finding, Rule } from '../types';
import { CONDITIONAL_KEYWORDS, taskStrings } from '../strings';

const WHOLE = /^\s*\{\{\s*([\s\S]*?)\s*\}\}\s*$/;

export const jinjaInConditional: Rule = {
  code: 'jinja-in-conditional',
  severity: 'warning',
  description: 'Jinja delimiters inside a conditional (when/until/changed_when/failed_when)',
  check({ facts }) {
    const out: Finding[] = [];
    for (const { task } of facts.tasks) {
      for (const s of taskStrings(task)) {
        if (s.where !== 'keyword' || !CONDITIONAL_KEYWORDS.has(s.key)) continue;
        if (!s.text.includes('{{') && !s.text.includes('{%')) continue;
        const whole = WHOLE.exec(s.text);
        const inner = whole?.[1];
        const fixes = inner && !inner.includes('{{') && !inner.includes('}}')
          ? [{ title: 'Remove the {{ }} delimiters', edits: [{ span: s.span, newText: /^[\w.]+( *[=!<>]=? *[\w.'"]+)?$/.test(inner) && !/^[-?:,[\]{}#&*!|>'"%@`]/.test(inner) ? inner : JSON.stringify(inner) }], preferred: true }]
          : undefined;
        out.push({
          code: this.code, severity: this.severity, file: task.file, span: s.span,
          message: `${s.key} is already a Jinja expression: "conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: ${s.text.trim()}" (a warning; deprecated in 2.19). Write the bare expression${inner ? `: ${inner}` : ''}.`,
          ...(fixes ? { fixes } : {}),
        });
      }
    }
    return out;
  },
};
