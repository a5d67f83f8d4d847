import { setFlagsFromString } from 'node:v8';

/** Shared with the other threads of this process that set V8 flags (see shareV8FlagLock). */
let lock: Int32Array | undefined;

/** How long a thread waits for another's turn before it goes ahead anyway. */
const waitLimitMs = 2000;

/**
 * Makes this thread take turns with the others that hold the same lock (an Int32Array over a
 * SharedArrayBuffer, 0 when free): a decode pool passes one to each of its workers.
 */
export function shareV8FlagLock(shared: Int32Array): void {
  lock = shared;
}

/**
 * Runs `task` with a V8 flag set (e.g. '--liftoff-only') and then sets it back ('--no-liftoff-only').
 * V8's flags belong to the whole process and are read when a module is compiled or a context made,
 * so threads sharing a lock take turns; a thread left waiting past 2 s goes ahead without it, since a
 * late flag costs at most memory or speed, never a result.
 */
export async function withV8Flag<T>(flag: `--${string}`, task: () => T | Promise<T>): Promise<T> {
  const held = lock !== undefined && acquire(lock);
  setFlagsFromString(flag);
  try {
    return await task();
  } finally {
    setFlagsFromString(flag.replace(/^--/, '--no-'));
    if (held) {
      Atomics.store(lock!, 0, 0);
      Atomics.notify(lock!, 0);
    }
  }
}

function acquire(shared: Int32Array): boolean {
  const until = Date.now() + waitLimitMs;
  while (Atomics.compareExchange(shared, 0, 0, 1) !== 0) {
    const left = until - Date.now();
    if (left <= 0) return false;
    Atomics.wait(shared, 0, 1, left);
  }
  return true;
}
