/**
 * RunOptions with ansible-playbook's defaults filled in (forks 5, no tags, no check/diff), for callers that set
 * only what differs: tests, benchmarks and tools that drive an engine in-process.
 */
import { DEFAULT_CORE_VERSION } from '../playbook/core-version';
import type { RunOptions } from './types';

export type RequiredRunOptions = Pick<RunOptions, 'playbook' | 'inventories' | 'events' | 'signal'>;

export function withRunDefaults(required: RequiredRunOptions, overrides: Partial<RunOptions> = {}): RunOptions {
  return {
    extraVars: [],
    forks: 5,
    tags: [],
    skipTags: [],
    check: false,
    diff: false,
    coreVersion: DEFAULT_CORE_VERSION,
    instantJoins: true,
    killJobsOnCancel: false,
    hostKeyPolicy: 'accept-new',
    ...required,
    ...overrides,
  };
}
