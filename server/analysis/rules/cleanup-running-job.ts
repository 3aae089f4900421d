/**
 * `async_status mode: cleanup` on a job that may still be running: cleanup only deletes the status file, it
 * does not stop the job, and the job rewrites the file when it ends. Safe only after a join that waited until
 * the job finished and that stops the host when it did not.
 */
import type { Task } from '../../../runtime/playbook/model';
import type { Rule } from '../types';
import type { AnalysisFacts, JobReference } from '../facts';
import { findingAt } from './util';

function joinedUntilFinished(facts: AnalysisFacts, cleanup: JobReference): boolean {
  return facts.jobRefs.some((j) => {
    if (j.mode !== 'status' || j.register !== cleanup.register || j.ref.order >= cleanup.ref.order || j.ref.play !== cleanup.ref.play) return false;
    const t = j.ref.task;
    const until = t.keywords.until;
    if (!until || !/\bfinished\b/.test(JSON.stringify(until.value))) return false;
    // a join whose failure is suppressed lets the play go on with the job still running
    return !suppressesFailure(t);
  });
}

function suppressesFailure(task: Task): boolean {
  const chain = [task, ...(task.parents ?? [])];
  return chain.some((t) => {
    const ig = t.keywords.ignore_errors;
    const fw = t.keywords.failed_when;
    return (ig && (ig.templated || ig.value === true)) || (fw !== undefined) || t.section === 'rescue' || t.section === 'always';
  });
}

/** a `when` on the cleanup (or its blocks) that says the job is not finished */
function guardedByNotFinished(task: Task): boolean {
  const chain = [task, ...(task.parents ?? [])];
  return chain.some((t) => /\bnot\s+[\w.]*finished\b|finished\s*(==|is)\s*(0|false|False)/.test(JSON.stringify(t.keywords.when?.value ?? '')));
}

export const cleanupRunningJob: Rule = {
  code: 'cleanup-running-job',
  severity: 'warning',
  description: 'async_status cleanup of a job that may still be running (cleanup does not stop it)',
  check({ facts }) {
    const out = [];
    for (const jr of facts.jobRefs) {
      if (jr.mode !== 'cleanup') continue;
      const launched = facts.launches.some((l) => l.register === jr.register);
      if (!launched) continue;
      const notFinished = guardedByNotFinished(jr.ref.task);
      if (!notFinished && joinedUntilFinished(facts, jr)) continue;
      const modeSpan = jr.ref.task.args.mode?.valueSpan ?? jr.jid.valueSpan;
      out.push(findingAt(this, jr.ref.task, modeSpan,
        notFinished
          ? `mode: cleanup does not stop the job '${jr.register}': it only deletes its status file; this task runs when the job has not finished, so the job keeps running and rewrites the file when it ends. Stop the process itself (e.g. pkill/kill via command) if it must end.`
          : `mode: cleanup may run while the job '${jr.register}' is still running (no earlier join waits until it finished and fails otherwise): cleanup only deletes the status file, the job keeps running and rewrites the file when it ends.`));
    }
    return out;
  },
};
