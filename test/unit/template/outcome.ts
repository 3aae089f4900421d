/** Runs one case the way Ansible's Templar/Conditional would and describes the result as the recorders do. */
import { compileTemplate, evaluateConditional, pyTypeName, TemplateError, type TemplateOptions } from '../../../runtime/template';

export interface Case {
  id: string;
  kind: 'when' | 'tpl';
  src: string;
}
export type Outcome = { value: unknown; type: string } | { error: string };

export function outcome(c: Case, vars: Record<string, unknown>, options: TemplateOptions): Outcome {
  try {
    const v = c.kind === 'when' ? evaluateConditional(c.src, vars, { ...options, keepFloats: true }) : compileTemplate(c.src, { ...options, keepFloats: true }).render(vars);
    const type = pyTypeName(v);
    // the recorders print JSON: floats as numbers, None as null
    return { value: JSON.parse(JSON.stringify(v) ?? 'null'), type: type === 'NoneType' ? 'none' : type };
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    // conditionals: Ansible wraps every error in AnsibleError("The conditional check ... failed ...")
    return { error: `${c.kind === 'when' ? 'AnsibleError' : e.ansibleClass}: ${e.ansibleMessage}` };
  }
}
