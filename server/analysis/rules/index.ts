/** Every rule, in the order their findings are listed. Codes are stable: settings and CI configs name them. */
import type { Rule } from '../types';
import { parseProblems } from './parse-problems';
import { unknownKeyword } from './unknown-keyword';
import { asyncUnsupported } from './async-unsupported';
import { asyncOnInclude } from './async-on-include';
import { asyncOnImport } from './async-on-import';
import { pollWithoutAsync } from './poll-without-async';
import { pollExceedsAsync } from './poll-exceeds-async';
import { poll0WithoutRegister } from './poll0-without-register';
import { jobNeverJoined } from './job-never-joined';
import { jobNeverCleaned } from './job-never-cleaned';
import { asyncJoinTooShort } from './async-join-too-short';
import { jidFromLoopRegister } from './jid-from-loop-register';
import { cleanupRunningJob } from './cleanup-running-job';
import { launchResultField } from './launch-result-field';
import { untilOnAsync } from './until-on-async';
import { retriesWithoutUntil } from './retries-without-until';
import { badIntValue } from './bad-int-value';
import { floatValue } from './float-value';
import { negativeValue } from './negative-value';
import { asyncCheckMode } from './async-check-mode';
import { untilUnknownVariable } from './until-unknown-variable';
import { commandShellSyntax } from './command-shell-syntax';
import { jinjaSyntax } from './jinja-syntax';
import { jinjaUnknownFilter, jinjaUnknownTest } from './jinja-unknown-plugin';
import { jinjaInConditional } from './jinja-in-conditional';

export const RULES: readonly Rule[] = [
  parseProblems,
  unknownKeyword,
  asyncUnsupported,
  asyncOnInclude,
  asyncOnImport,
  pollWithoutAsync,
  pollExceedsAsync,
  poll0WithoutRegister,
  jobNeverJoined,
  jobNeverCleaned,
  asyncJoinTooShort,
  jidFromLoopRegister,
  cleanupRunningJob,
  launchResultField,
  untilOnAsync,
  retriesWithoutUntil,
  badIntValue,
  floatValue,
  negativeValue,
  asyncCheckMode,
  untilUnknownVariable,
  commandShellSyntax,
  jinjaSyntax,
  jinjaUnknownFilter,
  jinjaUnknownTest,
  jinjaInConditional,
];
