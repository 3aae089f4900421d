/**
 * `until` reading a result field of a variable that this task does not register and that nothing in the
 * playbook defines (`register: result` but `until: job_result.finished`): the condition fails with
 * "'job_result' is undefined" after the first attempt. Only variables used as results (`x.finished`, `x.rc`,
 * ...) are judged, and nothing is said when variables can come from places we cannot see (vars_files,
 * include_vars, roles).
 */
import { expressionVariables } from '../../../runtime/waits/values';
import type { Play, Task } from '../../../runtime/playbook/model';
import type { Finding, Rule, RuleContext } from '../types';
import { registerName } from '../facts';
import { jinjaUsesOf } from '../jinja';
import { locate } from '../strings';

const RESULT_FIELDS = new Set(['finished', 'started', 'rc', 'stdout', 'stderr', 'stdout_lines', 'stderr_lines', 'status', 'failed', 'changed', 'attempts', 'results', 'ansible_job_id', 'json', 'content', 'stat', 'msg', 'skipped', 'elapsed']);
const MAGIC = new Set(['item', 'hostvars', 'groups', 'group_names', 'inventory_hostname', 'inventory_hostname_short', 'play_hosts', 'omit', 'playbook_dir', 'role_path', 'environment', 'vars', 'loop', 'ansible_loop', 'lookup', 'query', 'q', 'range', 'dict', 'lipsum', 'now', 'zip', 'undef']);

function definedNames(ctx: RuleContext, play: Play | undefined): Set<string> | undefined {
  const names = new Set<string>();
  if (play) {
    if (play.keywords.vars_files || play.keywords.vars_prompt || play.roles.length) return undefined;
    for (const k of Object.keys(play.vars)) names.add(k);
  }
  // registered results and facts outlive their play (they belong to the host), so every play counts
  for (const { task } of ctx.facts.tasks) {
    if (task.kind === 'include_role' || task.kind === 'import_role' || task.kind === 'role' || task.module === 'include_vars') return undefined;
    if (task.kind === 'include_tasks' && !task.imported) return undefined;
    const reg = registerName(task);
    if (reg) names.add(reg);
    if (task.module === 'set_fact') for (const k of Object.keys(task.args)) names.add(k);
    const vars = task.keywords.vars?.value;
    if (vars && typeof vars === 'object') for (const k of Object.keys(vars)) names.add(k);
    const lc = task.keywords.loop_control?.value as Record<string, unknown> | undefined;
    if (lc && typeof lc === 'object') for (const k of ['loop_var', 'index_var']) if (typeof lc[k] === 'string') names.add(lc[k] as string);
  }
  return names;
}

function isKnown(name: string, defined: Set<string>): boolean {
  return defined.has(name) || MAGIC.has(name) || name.startsWith('ansible_');
}

export const untilUnknownVariable: Rule = {
  code: 'until-unknown-variable',
  severity: 'warning',
  description: 'until reads a result variable nothing registers or defines',
  check(ctx) {
    const out: Finding[] = [];
    const cache = new Map<Play | undefined, Set<string> | undefined>();
    for (const { task, play } of ctx.facts.tasks) {
      const until = task.keywords.until;
      if (!until) continue;
      if (!cache.has(play)) cache.set(play, definedNames(ctx, play));
      const defined = cache.get(play);
      if (!defined) continue;
      for (const use of jinjaUsesOf(task)) {
        if (use.string.key !== 'until' || use.string.where !== 'keyword') continue;
        const text = use.string.text;
        const names = use.analysis.variables.length ? use.analysis.variables.map((v) => ({ name: v.name, offset: v.offset, end: v.end })) : fallbackVariables(text);
        for (const v of names) {
          if (isKnown(v.name, defined)) continue;
          const after = text.slice(v.end);
          const field = /^\s*(?:\.\s*(\w+)|\[\s*['"](\w+)['"]\s*\])/.exec(after);
          const fieldName = field?.[1] ?? field?.[2];
          if (!fieldName || !RESULT_FIELDS.has(fieldName)) continue;
          const reg = registerName(task);
          const fixes = reg ? [{ title: `Use '${reg}' (this task's register)`, edits: [{ span: locate(use.string, v.offset, v.end), newText: reg }], preferred: true }] : undefined;
          const span = locate(use.string, v.offset, v.end);
          out.push({
            code: this.code, severity: this.severity, file: task.file, span,
            message: `until reads ${v.name}.${fieldName}, but '${v.name}' is ${reg ? `not this task's register ('${reg}')` : 'not registered by this task'} and nothing in the play defines it: the condition fails with "'${v.name}' is undefined" after the first attempt${reg ? `. Did you mean ${reg}.${fieldName}?` : '. Add register: ' + v.name + '.'}`,
            ...(fixes && span !== use.string.span ? { fixes } : {}),
          });
        }
      }
    }
    return out;
  },
};

/** variable names with offsets when the template engine reports none */
function fallbackVariables(text: string): { name: string; offset: number; end: number }[] {
  const out: { name: string; offset: number; end: number }[] = [];
  for (const name of expressionVariables(text)) {
    const m = new RegExp(`(?<![\\w.])${name}(?!\\w)`).exec(text);
    if (m) out.push({ name, offset: m.index, end: m.index + name.length });
  }
  return out;
}

export type { Task };
