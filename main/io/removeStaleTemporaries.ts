import { lstat, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { temporaryOwner, thisHost } from './temporaryPath.js';

/**
 * Past this age a temporary file of ours is stale whoever wrote it: a write's
 * mtime moves while it writes and the rename follows its flush within seconds,
 * so only a writer stalled for a day (or a pid reused since) is mistaken.
 */
export const staleTemporaryAgeMs = 24 * 60 * 60 * 1000;

/** Folders already swept by this process: a batch writing thousands of files reads its folder once. */
const swept = new Set<string>();

export interface RemoveStaleTemporariesOptions {
  /** Sweep even when this process swept the folder before (tests). */
  readonly again?: boolean;
  /** The clock, for tests. */
  readonly now?: number;
}

/**
 * Removes the temporary files that killed writes of ours left in `folder`:
 * those of this host whose process is gone, and any of ours older than
 * {@link staleTemporaryAgeMs}. Another live writer's temporary file (this
 * host's live process, or a recent one from another host sharing the folder)
 * is kept, and nothing that does not carry our temporary name is touched.
 * Best effort: a file that cannot be listed or removed is left as it is.
 * Returns the names removed.
 */
export async function removeStaleTemporaries(folder: string, options: RemoveStaleTemporariesOptions = {}): Promise<string[]> {
  const key = resolve(folder);
  if (swept.has(key) && !options.again) return [];
  swept.add(key);
  const names = await readdir(key).catch(() => [] as string[]);
  const now = options.now ?? Date.now();
  const removed: string[] = [];
  for (const name of names) {
    const owner = temporaryOwner(name);
    if (!owner) continue;
    const path = join(key, name);
    const stats = await lstat(path).catch(() => undefined);
    // lstat: a symlink wearing our name is not ours to follow or remove.
    if (!stats?.isFile()) continue;
    const deadHere = owner.host === thisHost && !processAlive(owner.pid);
    if (!deadHere && now - stats.mtimeMs < staleTemporaryAgeMs) continue;
    await rm(path, { force: true }).then(
      () => removed.push(name),
      () => undefined,
    );
  }
  return removed;
}

/** Signal 0 tests for a process without touching it; EPERM means it exists under another user. */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
