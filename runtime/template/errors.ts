/**
 * The one error type of the template engine. Offsets point into the source string that was compiled
 * (expression or template), so the language server can underline the exact span.
 */

export type TemplateErrorKind = 'syntax' | 'undefined' | 'type' | 'filter' | 'runtime';

/** Python/Ansible exception class names, used to print errors the way Ansible prints them. */
const ANSIBLE_CLASS: Record<TemplateErrorKind, string> = {
  syntax: 'AnsibleError',
  undefined: 'AnsibleUndefinedVariable',
  type: 'AnsibleError',
  filter: 'AnsibleFilterError',
  runtime: 'AnsibleError',
};

export class TemplateError extends Error {
  readonly offset: number;
  readonly end: number;
  readonly kind: TemplateErrorKind;
  /** Ansible's exception class for this error (`AnsibleUndefinedVariable`, `AnsibleFilterError`, ...) */
  readonly ansibleClass: string;
  /**
   * The text Ansible 2.14 puts after "The error was: ". For undefined variables Ansible appends the
   * original Jinja message to its own copy of it, hence the doubled form ("'x' is undefined. 'x' is undefined").
   */
  readonly ansibleMessage: string;

  constructor(kind: TemplateErrorKind, message: string, offset: number, end: number, ansibleMessage?: string, ansibleClass?: string) {
    super(message);
    this.name = 'TemplateError';
    this.kind = kind;
    this.offset = offset;
    this.end = Math.max(end, offset);
    this.ansibleClass = ansibleClass ?? ANSIBLE_CLASS[kind];
    this.ansibleMessage = ansibleMessage ?? (kind === 'undefined' ? `${message}. ${message}` : message);
  }

  /** The same error with its offsets shifted (used when an expression is embedded in a larger source). */
  shifted(delta: number): TemplateError {
    if (delta === 0) return this;
    return new TemplateError(this.kind, this.message, this.offset + delta, this.end + delta, this.ansibleMessage, this.ansibleClass);
  }
}
