import { AxialError, isAxialError } from '../errors/AxialError.js';
import { readSmallTextFile } from '../io/readSmallTextFile.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';

export const maxRecentPaths = 10;

/** Ten paths are a few kilobytes; a bigger file is not ours. */
const maxFileBytes = 64 * 1024;

/**
 * The stored recent list (most recent first); empty when the file is missing or not a list of strings. It is read
 * before the window opens, so only a regular file of at most 64 KiB is read (a FIFO there would stop the start);
 * one that is not, or is not JSON, gives an empty list and is reported to `logError`, naming the file (it is
 * replaced on the next write).
 */
export async function readRecentPaths(file: string, logError: (error: unknown) => void): Promise<string[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readSmallTextFile(file, maxFileBytes, 'a recent list'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    logError(
      isAxialError(error) ? error : new AxialError('INPUT_UNREADABLE', `the recent list was not read: ${(error as Error).message}`, { file, cause: error }),
    );
    return [];
  }
  return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string').slice(0, maxRecentPaths) : [];
}

/** `path` first, without duplicates, at most ten. */
export function addRecentPath(list: readonly string[], path: string): string[] {
  return [path, ...list.filter((p) => p !== path)].slice(0, maxRecentPaths);
}

/**
 * Stores the list atomically.
 * @throws AxialError OUTPUT_WRITE_FAILED.
 */
export async function writeRecentPaths(file: string, list: readonly string[]): Promise<void> {
  await writeFileAtomic(file, [new TextEncoder().encode(`${JSON.stringify(list, null, 2)}\n`)], [], { ownFile: true });
}
