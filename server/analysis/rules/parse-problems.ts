/**
 * Problems found while building the model: YAML syntax errors (`yaml-syntax`) and structural errors
 * (`play-no-hosts`, `conflicting-action`, `import-not-found`, ...), each keeping the parser's code.
 * Problems another rule explains better are left to that rule.
 */
import type { Finding, Rule } from '../types';

export const parseProblems: Rule = {
  code: 'yaml-syntax',
  severity: 'error',
  description: 'YAML syntax errors and structural problems of the playbook',
  check({ playbook, facts }) {
    const out: Finding[] = [];
    const unknownHeads = new Set(facts.tasks.filter((t) => t.task.unknownKeys.length > 0).map((t) => `${t.task.file.path}:${t.task.headSpan.start}`));
    for (const p of playbook.problems) {
      // async/poll on include_tasks: async-on-include says what happens
      if (p.code === 'include-invalid-attribute' && /^'(async|poll)'/.test(p.message)) continue;
      // the unknown key is reported (with a suggestion) by unknown-keyword
      if (p.code === 'conflicting-action' && unknownHeads.has(`${p.file.path}:${p.span.start}`)) continue;
      out.push({ code: p.code, severity: p.severity, file: p.file, span: p.span, message: p.message });
    }
    return out;
  },
};
