/**
 * Keeps the server's memory close to what it holds. A large playbook's model is megabytes, and V8 lets
 * old garbage pile up before it collects: the previous model, the parser's garbage and the new model would
 * all be resident at once. So a full collection runs right after a large analysis, once its diagnostics are
 * out, and before one when an earlier large analysis left garbage behind that was not collected yet.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;
try {
  setFlagsFromString('--expose-gc');
  collect = runInNewContext('gc') as () => void;
} catch {
  collect = undefined;
}

/** documents below this size leave too little garbage to be worth a full collection */
const LARGE = 50_000;
let timer: NodeJS.Timeout | undefined;
/** a large analysis ran since the last full collection */
let garbageLeft = false;

function collectNow(): void {
  clearTimeout(timer);
  timer = undefined;
  garbageLeft = false;
  collect?.();
}

/** before analysing `size` characters: collect what earlier large analyses left (a few ms on a small heap) */
export function collectBeforeAnalysis(size: number): void {
  if (collect && size >= LARGE && garbageLeft) collectNow();
}

/**
 * After an analysis of `size` characters: a full collection as soon as the event loop is free again (after
 * the diagnostics went out), so the next open or edit does not start on a heap full of the last one's
 * garbage. Nothing new arriving within `idleMs` is the only condition.
 */
export function collectWhenIdle(size: number, idleMs = 0): void {
  if (!collect || size < LARGE) return;
  garbageLeft = true;
  clearTimeout(timer);
  timer = setTimeout(collectNow, idleMs);
  timer.unref();
}
