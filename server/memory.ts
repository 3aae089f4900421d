/**
 * Keeps the server's memory close to what it holds: after a large document was analysed, a full garbage
 * collection runs once the server is idle, so the previous model and the parser's garbage are gone before
 * the next edit allocates again (V8 otherwise grows the heap first and collects later).
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

let timer: NodeJS.Timeout | undefined;

/** after an analysis of `size` characters: a full collection when nothing happened for `idleMs` */
export function collectWhenIdle(size: number, idleMs = 300): void {
  if (!collect || size < 50_000) return;
  clearTimeout(timer);
  timer = setTimeout(() => {
    timer = undefined;
    collect?.();
  }, idleMs);
  timer.unref();
}
