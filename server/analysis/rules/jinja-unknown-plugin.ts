/**
 * Filters and tests neither Jinja nor ansible.builtin provides: "No filter named 'x'" / "No test named 'x'"
 * when the task runs. Collection plugins (names with dots, `community.general.json_query`) are not judged.
 */
import type { Finding, Rule } from '../types';
import { jinjaUsesOf } from '../jinja';
import { locate } from '../strings';

function pluginRule(kind: 'filter' | 'test'): Rule {
  return {
    code: `jinja-unknown-${kind}`,
    severity: 'warning',
    description: `unknown Jinja ${kind} (not builtin; collection ${kind}s need their FQCN)`,
    check({ facts }) {
      const out: Finding[] = [];
      for (const { task } of facts.tasks) {
        for (const use of jinjaUsesOf(task)) {
          for (const p of kind === 'filter' ? use.analysis.filters : use.analysis.tests) {
            if (p.known || p.name.includes('.')) continue;
            out.push({
              code: this.code, severity: this.severity, file: task.file, span: locate(use.string, p.offset, p.end),
              message: `No ${kind} named '${p.name}' in Jinja or ansible.builtin: the task fails when this is evaluated ("template error while templating string: No ${kind} named '${p.name}'"), unless a collection provides it — then write its fully qualified name.`,
            });
          }
        }
      }
      return out;
    },
  };
}

export const jinjaUnknownFilter = pluginRule('filter');
export const jinjaUnknownTest = pluginRule('test');
