export {
  DEFAULT_DELAY,
  DEFAULT_POLL,
  DEFAULT_RETRIES_WITH_UNTIL,
  WATCHDOG_STEP,
  asyncMode,
  delayIsFloat,
  effectiveDelay,
  effectivePoll,
  exhaustedAttemptsField,
  pollChecks,
  pollWaitSeconds,
  retriesApply,
  retryWaitSeconds,
  untilAttempts,
  watchdogKillSeconds,
} from './attempts';
export { coerceFloat, coerceInt, fieldName, pythonRepr, pythonStr, type IntResult } from './int';
export { formatNumber, formatSeconds } from './format';
export { findJoinedJob, findRegistering, isLoopTask, loopEntry, loopVariable, type JobReference } from './joins';
export { loopCount, type LoopCount } from './loops';
export { attemptBound, type AttemptBoundResult } from './attempt-bound';
export {
  expressionVariables,
  followTemplate,
  resolveEntry,
  resolveNumber,
  templateVariables,
  varLayers,
  type Resolved,
  type VarLayer,
  type VarUse,
} from './values';
export {
  taskBudget,
  type AsyncBudget,
  type BudgetContext,
  type BudgetKind,
  type JoinBudget,
  type TaskBudget,
  type ValueIssue,
} from './task-budget';
export { playBudget, type PlayBudget } from './play-budget';
