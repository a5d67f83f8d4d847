import { constants } from 'node:fs';
import { access, lstat } from 'node:fs/promises';
import { AxialError } from '../errors/AxialError.js';

/**
 * The permission bits of the file an output is about to replace, for the new file to keep (as nibabel and ITK,
 * which rewrite the file in place, keep them); undefined when nothing is there yet, or something other than a
 * regular file is (a symbolic link is replaced by the new file, as before). An output is replaced, as those tools replace it, unless the file there is
 * write-protected: not writable by this user, or with no write bit at all, which is what `rm` asks about before
 * removing a file and what stops root too, whom the permission check lets write anything.
 * @throws AxialError OUTPUT_WRITE_FAILED naming the output when the file there is write-protected.
 */
export async function replaceableOutputMode(path: string): Promise<number | undefined> {
  // lstat: a symbolic link there is what the rename replaces, so neither its target's mode nor its protection counts.
  const stats = await lstat(path).catch(() => undefined);
  if (!stats?.isFile()) return undefined;
  const mode = stats.mode & 0o777;
  const writable =
    (mode & 0o222) !== 0 &&
    (await access(path, constants.W_OK).then(
      () => true,
      () => false,
    ));
  if (!writable) {
    const octal = mode.toString(8).padStart(3, '0');
    throw new AxialError(
      'OUTPUT_WRITE_FAILED',
      `exists and is write-protected (mode ${octal}): Axial does not replace it; remove it or make it writable first`,
      { file: path },
    );
  }
  return mode;
}
