/**
 * Modules that run on the controller and never touch the target: debug, set_fact, assert, fail, ping
 * (which does reach the target: one `true` so an unreachable host shows as such).
 */
import type { TaskResult } from '../events/types';
import { TemplateError } from '../template';
import { ActionRaised } from './action-error';
import { bool, fail, printResultScript, str } from './common';
import type { ModuleContext, ModuleImplementation } from './types';

export const debugModule: ModuleImplementation = {
  name: 'debug',
  async run(context) {
    const verbosity = Number(context.args.verbosity ?? 0);
    if (verbosity > (context.verbosity ?? 0)) return { changed: false, skipped_reason: 'Verbosity threshold not met.', skipped: true, _ansible_verbose_always: true };
    if ('var' in context.args && context.args.var !== undefined) {
      const name = String(context.args.var);
      let value: unknown;
      try {
        value = context.render!(`{{ ${name} }}`);
      } catch (error) {
        if (error instanceof TemplateError && error.kind === 'undefined') value = 'VARIABLE IS NOT DEFINED!';
        else throw error;
      }
      return { changed: false, [name]: value, _ansible_verbose_always: true };
    }
    return { changed: false, msg: context.args.msg ?? 'Hello world!', _ansible_verbose_always: true };
  },
};

export const setFactModule: ModuleImplementation = {
  name: 'set_fact',
  async run(context) {
    const facts: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(context.args)) {
      if (key === 'cacheable') continue;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return fail(`The variable name '${key}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.`);
      facts[key] = value;
    }
    if (Object.keys(facts).length === 0) return fail('No key/value pairs provided, at least one is required for this action to succeed');
    return { changed: false, ansible_facts: facts };
  },
};

export const assertModule: ModuleImplementation = {
  name: 'assert',
  async run(context) {
    const that = context.args.that;
    if (that === undefined || that === null) return fail('conditional required in "that" string');
    const quiet = bool(context.args, 'quiet', false);
    const conditions = Array.isArray(that) ? that : [that];
    for (const condition of conditions) {
      let ok: boolean;
      try {
        ok = context.conditional!(condition);
      } catch (error) {
        throw new ActionRaised((error as Error).message);
      }
      if (!ok) {
        const failMsg = context.args.fail_msg ?? context.args.msg;
        const result: TaskResult = { changed: false, failed: true, assertion: condition, evaluated_to: false, msg: failMsg ?? 'Assertion failed' };
        if (!quiet) result._ansible_verbose_always = true;
        return result;
      }
    }
    const result: TaskResult = { changed: false, msg: context.args.success_msg ?? 'All assertions passed' };
    if (!quiet) result._ansible_verbose_always = true;
    return result;
  },
};

export const failModule: ModuleImplementation = {
  name: 'fail',
  async run(context) {
    return { changed: false, failed: true, msg: str(context.args, 'msg') === undefined ? 'Failed as requested from task' : context.args.msg };
  },
};

export const pingModule: ModuleImplementation = {
  name: 'ping',
  // as a job: the same answer, printed by the target
  remoteScript(context) {
    const data = str(context.args, 'data') ?? 'pong';
    const result = data === 'crash' ? { failed: true, changed: false, msg: 'boom', exception: 'Exception: boom' } : { changed: false, ping: data, invocation: { module_args: { data } } };
    return printResultScript(result);
  },
  async run(context: ModuleContext) {
    const data = str(context.args, 'data') ?? 'pong';
    const res = await context.connection.exec('true', { signal: context.signal });
    if (data === 'crash') return fail('boom', { exception: 'Exception: boom' });
    if (res.rc !== 0) return fail(`MODULE FAILURE: rc ${res.rc}`, { module_stderr: res.stderr });
    return { changed: false, ping: data, invocation: { module_args: { data } } };
  },
};
