/**
 * The executor's view of the template engine: rendering with the target version's native/non-native rules,
 * and conditionals (when, until, failed_when, changed_when) with Ansible's error wording.
 */
import { coreAtLeast } from '../playbook/core-version';
import { evaluateConditional, isTemplated, templateValue, TemplateError } from '../template';

export class ConditionalError extends Error {}

export class Templar {
  readonly native: boolean;

  constructor(readonly coreVersion: string) {
    this.native = coreAtLeast(coreVersion, '2.19');
  }

  render(value: unknown, vars: Record<string, unknown>): unknown {
    if (!containsTemplate(value)) return value;
    return templateValue(value, vars, { native: this.native, coreVersion: this.coreVersion });
  }

  /**
   * Evaluates one conditional or a list (AND). Throws ConditionalError with the message Ansible shows:
   * "The conditional check 'X' failed. The error was: error while evaluating conditional (X): ...".
   */
  conditional(condition: unknown, vars: Record<string, unknown>): boolean {
    const list = Array.isArray(condition) ? condition : [condition];
    for (const item of list) {
      if (item === undefined || item === null) continue;
      if (typeof item === 'boolean') {
        if (!item) return false;
        continue;
      }
      const src = typeof item === 'string' ? item : String(item);
      try {
        if (!evaluateConditional(src, vars, { native: this.native, coreVersion: this.coreVersion })) return false;
      } catch (error) {
        throw new ConditionalError(conditionalMessage(src, error));
      }
    }
    return true;
  }
}

export function conditionalMessage(src: string, error: unknown): string {
  const text = error instanceof TemplateError ? error.ansibleMessage : (error as Error)?.message ?? String(error);
  if (text.startsWith('The conditional check')) return text;
  return `The conditional check '${src}' failed. The error was: error while evaluating conditional (${src}): ${text}`;
}

export function templateErrorMessage(error: unknown): string {
  if (error instanceof TemplateError) return error.ansibleMessage;
  return (error as Error)?.message ?? String(error);
}

export function containsTemplate(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return isTemplated(value);
  if (depth > 16 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => containsTemplate(v, depth + 1));
  return Object.values(value as object).some((v) => containsTemplate(v, depth + 1));
}
