import { dirname } from 'node:path';
import { resolveInsideFolder } from '../io/resolveInsideFolder.js';

/**
 * Resolves a header's data file names (as {@link parseNrrdDataFiles} gives them) to absolute paths after
 * symlinks, each confined to the folder that holds the header: a header may not make Axial read, or an output
 * guard overlook, a file elsewhere.
 * @param headerPath The header as the user named it; names are relative to its folder, as in Teem.
 * @throws AxialError INPUT_PATH_OUTSIDE_FOLDER naming the header and the path; INPUT_NOT_FOUND or
 *   INPUT_UNREADABLE when a link on the way leads nowhere or cannot be followed.
 */
export async function resolveNrrdDataFiles(headerPath: string, names: readonly string[]): Promise<string[]> {
  const resolved: string[] = [];
  for (const name of names) {
    resolved.push(await resolveInsideFolder({ folder: dirname(headerPath), name, file: headerPath, what: 'data file' }));
  }
  return resolved;
}
