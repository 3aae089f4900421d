/** pause: waits on the controller (runs once per batch like Ansible's BYPASS_HOST_LOOP action). */
import { ansibleTimestamp } from '../executor/results';
import { sleep } from '../executor/semaphore';
import { fail, num } from './common';
import type { ModuleImplementation } from './types';

export const pauseModule: ModuleImplementation = {
  name: 'pause',
  async run(context) {
    const hasSeconds = context.args.seconds !== undefined && context.args.seconds !== null;
    const hasMinutes = context.args.minutes !== undefined && context.args.minutes !== null;
    if (!hasSeconds && !hasMinutes) return fail('pause without seconds/minutes waits for a key press; the bundled engine runs non-interactively. Give seconds: or minutes:, or use --engine ansible');
    let seconds = hasSeconds ? num(context.args, 'seconds', 0) : num(context.args, 'minutes', 0) * 60;
    // Ansible's pause never waits less than a second (seconds: 0 pauses 1 s)
    if (seconds < 1) seconds = 1;
    const start = new Date();
    await sleep(seconds, context.signal);
    const stop = new Date();
    const elapsed = (stop.getTime() - start.getTime()) / 1000;
    return {
      changed: false,
      delta: Math.round(elapsed),
      echo: true,
      rc: 0,
      start: ansibleTimestamp(start),
      stderr: '',
      stdout: `Paused for ${elapsed.toFixed(2).replace(/0$/, '')} seconds`,
      stop: ansibleTimestamp(stop),
      user_input: '',
    };
  },
};
