import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';

/**
 * Named pipes for the specs that check a FIFO is refused rather than waited on: a read of one with no writer
 * blocks in open(2), holding a thread of libuv's pool (or a worker) until a writer comes.
 */
export const fifo = {
  /** Makes a FIFO at `path` (mkfifo). */
  make(path: string): string {
    execFileSync('mkfifo', [path]);
    return path;
  },

  /**
   * Frees whatever is blocked opening `path` to read (code that waited on it, as the code under test did before it
   * was fixed), so a failing spec leaves no thread stuck: a writer opens the pipe and closes it, and the reader sees
   * its end. Nothing happens when no reader waits.
   */
  release(path: string): void {
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // ENXIO: no reader has it open; ENOENT: already removed.
    }
  },
};

/** `promise`'s value, or 'hung' when it has not settled within `ms` (generous: for a hang, never a timing). */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | 'hung'> {
  return Promise.race([promise, new Promise<'hung'>((done) => setTimeout(() => done('hung'), ms).unref())]);
}
