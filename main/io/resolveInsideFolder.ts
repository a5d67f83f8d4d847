import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AxialError } from '../errors/AxialError.js';

export interface ResolveInsideFolderParams {
  /** The folder the path must stay in (the one holding `file`). */
  readonly folder: string;
  /** The path as the file writes it, relative to `folder` or absolute. */
  readonly name: string;
  /** The file that names the path, put in front of every error. */
  readonly file: string;
  /** What the path is, for messages: `data file`. */
  readonly what: string;
}

/**
 * Resolves a path that a file names, following every symlink, and refuses it unless it lies inside the folder
 * (itself resolved): `/etc/passwd`, `../../x` and a link that leads out are all caught. A path that does not
 * exist is resolved through its nearest existing folder, so a missing file is still placed (and still confined);
 * opening it later reports it missing.
 * @returns The resolved absolute path, to be opened instead of the name so no link is followed twice.
 * @throws AxialError INPUT_PATH_OUTSIDE_FOLDER naming the file and the path; INPUT_NOT_FOUND for a link to nothing
 *   (where it leads cannot be checked) or a path through a plain file; INPUT_UNREADABLE when a link cannot be
 *   followed (a loop, no permission).
 */
export async function resolveInsideFolder(params: ResolveInsideFolderParams): Promise<string> {
  const { folder, name, file, what } = params;
  const root = await resolveExisting(resolve(folder), params);
  const target = await resolveExisting(resolve(folder, name), params);
  const rest = relative(root, target);
  if (rest === '' || (rest.split(sep)[0] !== '..' && !isAbsolute(rest))) return target;
  throw new AxialError('INPUT_PATH_OUTSIDE_FOLDER', `${what} '${name}' resolves to ${target}, outside the folder ${root} that holds the file`, { file });
}

/** realpath, or for a missing path the realpath of its nearest existing ancestor joined with the missing rest. */
async function resolveExisting(path: string, params: ResolveInsideFolderParams): Promise<string> {
  const missing: string[] = [];
  for (let current = path; ;) {
    try {
      return join(await realpath(current), ...missing);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' || (await isLink(current)) || dirname(current) === current) {
        throw refusal(code, current, params, error);
      }
      missing.unshift(basename(current));
      current = dirname(current);
    }
  }
}

async function isLink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}

function refusal(code: string | undefined, path: string, params: ResolveInsideFolderParams, cause: unknown): AxialError {
  const { name, file, what } = params;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new AxialError('INPUT_NOT_FOUND', `${what} '${name}': ${path} leads to no file`, { file, cause });
  }
  return new AxialError('INPUT_UNREADABLE', `${what} '${name}': cannot follow ${path}: ${(cause as Error).message}`, {
    file,
    cause,
  });
}
