/**
 * Jinja2 expressions and templates as Ansible evaluates them: the public API of runtime/template.
 *
 *   evaluateConditional('job.finished', vars)            when/until/failed_when/changed_when
 *   templateValue({ jid: '{{ job.ansible_job_id }}' }, vars)   module args and vars
 *   compileTemplate(src).render(vars), compileExpression(src).evaluate(vars)
 *   analyzeExpression(src) / analyzeTemplate(src)         spans for the language server
 */
export { TemplateError } from './errors';
export type { TemplateErrorKind } from './errors';
export {
  compileExpression,
  compileTemplate,
  evaluateConditional,
  isTemplated,
  templateValue,
} from './engine';
export type { CompiledExpression, CompiledTemplate, TemplateOptions } from './engine';
export { analyzeExpression, analyzeTemplate, knownFilters, knownTests } from './analyze';
export type { Analysis, NameSpan, PluginSpan } from './analyze';
export type { LookupFn } from './scope';
export { PyFloat, pyTypeName } from './values';
export { lineIndentAt, scalarOffsets } from './scalar-offsets';
export type { ScalarMap } from './scalar-offsets';
