import { describe } from 'vitest';
import { reproduces } from './truth-assert';

// recorded ansible-core 2.14.18 cases without async jobs (see shared/truth/ansible-2.14)
describe('recorded cases: tasks, conditionals, retries, modules', () => {
  for (const name of [
    '01-ssh-baseline',
    '13-include-tasks-async',
    '14-import-tasks-async',
    '15-until-attempt-counting',
    '16-until-edge-values',
    '17-retries-without-until',
    '23-when-conditions',
    '25-debug-setfact-assert-fail',
    '26-command-shell-raw-script',
    '27-files-copy-file-stat-find',
    '29-ignore-errors-unreachable-recap',
    '34-loop-until-register-structure',
    '36-bad-values-lint',
    '37-unknown-keyword',
  ]) {
    reproduces(name);
  }
});
