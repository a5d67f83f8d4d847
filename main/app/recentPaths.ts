import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../io/writeFileAtomic.js';

export const maxRecentPaths = 10;

/** The stored recent list (most recent first); empty when the file is missing or not a list of strings. */
export async function readRecentPaths(file: string): Promise<string[]> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string').slice(0, maxRecentPaths) : [];
  } catch {
    return [];
  }
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
  await writeFileAtomic(file, [new TextEncoder().encode(`${JSON.stringify(list, null, 2)}\n`)]);
}
