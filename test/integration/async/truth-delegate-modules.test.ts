import { describe } from 'vitest';
import { reproduces } from '../runtime/truth-assert';

// recorded async case with a delegate: a job delegated to localhost keeps its status file in the delegate's
// async dir (host_vars/localhost.yml sets one), so only a delegated async_status finds it.
// 32 (async file/stat-like module failures) waits on the stat module's argument checks in its remote script.
describe('recorded cases: delegated async jobs', () => {
  reproduces('22-delegate-to');
});
