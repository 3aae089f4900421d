/**
 * The wait an async_status join can give a job: (attempts − 1) × delay, from the same arithmetic the
 * engine obeys (runtime/waits). Unknown (templated or invalid) inputs give undefined, never a guess.
 */
import type { Task } from '../../runtime/playbook/model';
import { effectiveDelay, retryWaitSeconds, untilAttempts } from '../../runtime/waits/attempts';
import { floatValue, intValue } from './values';
import { coreAtLeast } from '../../runtime/playbook/core-version';

export interface JoinWait {
  attempts: number;
  retries: number;
  delay: number;
  seconds: number;
}

export function joinWait(task: Task, coreVersion: string): JoinWait | undefined {
  const hasUntil = !!task.keywords.until;
  const r = intValue(task.keywords.retries);
  const d = coreAtLeast(coreVersion, '2.17.5') ? floatValue(task.keywords.delay) : intValue(task.keywords.delay);
  if (r.kind === 'templated' || r.kind === 'invalid' || d.kind === 'templated' || d.kind === 'invalid') return undefined;
  const retries = r.kind === 'number' ? r.value : undefined;
  const attempts = untilAttempts(retries, hasUntil, coreVersion);
  const delay = effectiveDelay(d.kind === 'number' ? d.value : undefined, coreVersion);
  return { attempts, retries: attempts - 1, delay, seconds: retryWaitSeconds(attempts, delay) };
}
