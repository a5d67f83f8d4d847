import { rmSync } from 'node:fs';

/**
 * The temporary files this process's writes have open now (see
 * writeFileAtomic), so that a command stopped by Ctrl-C or a scheduler's
 * SIGTERM takes them with it instead of leaving an output-sized hidden file
 * until the next write to that folder.
 */
export const inFlightTemporaries = {
  paths: new Set<string>(),
  /** Removes every one it can, synchronously: a signal handler cannot wait, nor stop at a file it cannot remove. */
  removeAll(): void {
    for (const path of this.paths) {
      try {
        rmSync(path, { force: true });
      } catch {
        // Left for the next write to the folder to sweep (removeStaleTemporaries).
      }
    }
    this.paths.clear();
  },
};
