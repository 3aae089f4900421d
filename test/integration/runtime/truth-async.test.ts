import { describe } from 'vitest';
import { reproduces } from './truth-assert';

// recorded cases where the executor hands tasks to async jobs (runtime/async) or waits (wait_for, pause).
// Not here: 90 (we expand ~ with $HOME on both sides on purpose).
describe('recorded cases: async jobs through the executor, waits', () => {
  for (const name of [
    '02-async-poll-finishes',
    '03-async-poll-timeout',
    '04-async-poll0-status-until',
    '06-async-status-cleanup',
    '07-async-status-bad-args',
    '08-async-status-file-and-jid',
    '09-async-timeout-watchdog',
    '10-async-poll-edge-values',
    '12-async-unsupported-actions',
    '19-failed-changed-when-async',
    '21-serial-batches',
    '22-delegate-to',
    '28-wait-for-pause',
    '30-async-poll-default-15',
    '32-async-module-failure',
    '35-async-env-cwd-nolog',
    '39-task-timeout-vs-async',
  ]) {
    reproduces(name);
  }
});
