/**
 * pause, as ansible-core 2.14's action (runs once per batch: BYPASS_HOST_LOOP). `seconds`/`minutes` wait on the
 * controller (never less than 1 s); `prompt` without a time reads one line from the controller's terminal
 * (`echo: false` hides it). Without a terminal it behaves as Ansible with a non-interactive stdin: a timed pause
 * still waits, a prompt is shown with the warning "Not waiting for response to prompt as stdin is not
 * interactive" and the play goes on at once with `user_input: ""`.
 */
import { ansibleTimestamp } from '../executor/results';
import { sleep } from '../executor/semaphore';
import type { TaskResult } from '../events/types';
import { bool, fail } from './common';
import type { ModuleContext, ModuleImplementation } from './types';

/** Ansible passes these through int(): floats are truncated, text that is not an integer fails */
function intArg(context: ModuleContext, name: string): number | undefined {
  const value = context.args[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Math.trunc(value);
  const text = String(value).trim();
  if (!/^[-+]?\d+$/.test(text)) throw new Error(`argument '${name}' is of type ${typeof value === 'string' ? "<class 'str'>" : typeof value} and we were unable to convert to <class 'int'>: invalid literal for int() with base 10: '${text}'`);
  return Number(text);
}

/** Python's round(x, 2) printed like a float ("2.0", "0.03") */
function pyRound2(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Number.isInteger(rounded) ? `${rounded}.0` : String(rounded);
}

export const pauseModule: ModuleImplementation = {
  name: 'pause',
  async run(context): Promise<TaskResult> {
    let minutes: number | undefined;
    let seconds: number | undefined;
    let echo: boolean;
    try {
      minutes = intArg(context, 'minutes');
      seconds = intArg(context, 'seconds');
      echo = bool(context.args, 'echo', true);
    } catch (error) {
      return fail((error as Error).message);
    }
    if (minutes !== undefined && seconds !== undefined) return fail('parameters are mutually exclusive: minutes|seconds');
    const promptArg = context.args.prompt === undefined || context.args.prompt === null ? undefined : String(context.args.prompt);
    const echoNote = echo ? '' : ' (output is hidden)';
    const prompt = `[${(context.task.name ?? 'pause').trim()}]\n${promptArg || 'Press enter to continue, Ctrl+C to interrupt'}${echoNote}:`;
    const unit = minutes !== undefined ? 'minutes' : seconds !== undefined ? 'seconds' : 'minutes';
    let wait = minutes !== undefined ? minutes * 60 : seconds;
    const display = (message: string) => context.emit({ event: 'display', message });
    const result: TaskResult = { changed: false, rc: 0, stderr: '', stdout: '', start: null, stop: null, delta: null, echo };
    const started = new Date();
    result.start = ansibleTimestamp(started);
    let userInput = '';
    if (wait !== undefined) {
      if (wait < 1) wait = 1;
      display(`Pausing for ${wait} seconds${echoNote}`);
      display("(ctrl+C then 'C' = continue early, ctrl+C then 'A' = abort)");
      if (promptArg) display(prompt);
      await sleep(wait, context.signal);
    } else {
      display(prompt);
      if (context.readInput) userInput = await context.readInput(echo);
      else context.emit({ event: 'warning', message: 'Not waiting for response to prompt as stdin is not interactive' });
    }
    const stopped = new Date();
    const duration = (stopped.getTime() - started.getTime()) / 1000;
    result.stop = ansibleTimestamp(stopped);
    result.delta = Math.trunc(duration);
    result.stdout = `Paused for ${pyRound2(unit === 'minutes' ? duration / 60 : duration)} ${unit}`;
    result.user_input = userInput;
    return result;
  },
};
