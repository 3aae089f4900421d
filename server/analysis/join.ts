/**
 * The wait an until loop (an async_status join) gives: (attempts − 1) × delay, from the same arithmetic and
 * the same value resolution the engine and the budgets use (runtime/waits). Unknown (templated and not
 * resolved, or invalid) inputs give undefined, never a guess.
 */
import type { Play, Task } from '../../runtime/playbook/model';
import { delayIsFloat, effectiveDelay, retryWaitSeconds, untilAttempts } from '../../runtime/waits/attempts';
import { resolveEntry, varLayers, type VarLayer } from '../../runtime/waits/values';

export interface JoinWait {
  attempts: number;
  retries: number;
  delay: number;
  seconds: number;
}

export function joinWait(task: Task, coreVersion: string, play?: Play): JoinWait | undefined {
  const hasUntil = !!task.keywords.until;
  let layers: VarLayer[];
  try {
    layers = varLayers(task, play);
  } catch {
    layers = [];
  }
  const r = resolveEntry(task.keywords.retries, 'retries', layers);
  const d = resolveEntry(task.keywords.delay, 'delay', layers, delayIsFloat(coreVersion));
  if (r.kind === 'unknown' || r.kind === 'invalid' || d.kind === 'unknown' || d.kind === 'invalid') return undefined;
  const attempts = untilAttempts(r.kind === 'number' ? r.value : undefined, hasUntil, coreVersion);
  const delay = effectiveDelay(d.kind === 'number' ? d.value : undefined, coreVersion);
  return { attempts, retries: attempts - 1, delay, seconds: retryWaitSeconds(attempts, delay) };
}
