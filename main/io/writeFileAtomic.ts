import { open, rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { AxialError, isAxialError } from '../errors/AxialError.js';
import { assertNotInput } from './assertNotInput.js';
import { assertOutputFolder } from './assertOutputFolder.js';
import { inFlightTemporaries } from './inFlightTemporaries.js';
import { removeStaleTemporaries } from './removeStaleTemporaries.js';
import { replaceableOutputMode } from './replaceableOutputMode.js';
import { temporaryPath } from './temporaryPath.js';
import { writeAll } from './writeAll.js';

export interface WriteFileAtomicOptions {
  /**
   * Axial's own state (settings, the study list, recent paths, sidecars, the recovery journal): replaced whatever
   * its mode, as before, since a umask of 0222 makes the first save's file read-only and the second must still
   * succeed. Outputs a user names keep the write-protection check.
   */
  readonly ownFile?: boolean;
}

/**
 * Writes `chunks` to a temporary file beside `path`, flushes it, then renames
 * it over `path`, so a reader never sees a half-written file. Every writer of
 * Axial comes through here, so this is where an output is kept off its inputs:
 * by file identity (device and inode), checked before the temporary file is
 * made and again, for the output and the temporary file, just before the
 * rename; then the folder is flushed too. The first write to a folder also
 * sweeps the temporary files that killed writes of ours left there.
 * A file already at `path` is replaced and its permission bits kept, unless it is write-protected (see
 * replaceableOutputMode); Axial's own files (`ownFile`) are replaced as they are. Failures name the output and, where the folder is the cause, the folder
 * (assertOutputFolder), never the hidden temporary file.
 * @throws AxialError OUTPUT_IS_INPUT when `path` (or its temporary file) is the same file as one of `inputs`;
 *   OUTPUT_WRITE_FAILED on I/O errors and for a write-protected file there. Either way no temporary file is left behind.
 */
export async function writeFileAtomic(
  path: string,
  chunks: readonly Uint8Array[],
  inputs: readonly string[] = [],
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const target = resolve(path);
  await assertNotInput(path, inputs);
  const mode = options.ownFile ? undefined : await replaceableOutputMode(path);
  await removeStaleTemporaries(dirname(target));
  const temporary = temporaryPath(target);
  let created = false;
  try {
    // Known before it exists: a signal while it is opened must still take it.
    inFlightTemporaries.paths.add(temporary);
    const handle = await open(temporary, 'wx');
    created = true;
    try {
      if (mode !== undefined) await handle.chmod(mode);
      for (const chunk of chunks) await writeAll(handle, chunk);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // Again at the last moment: the write may have taken minutes, and the names may have been relinked meanwhile.
    await assertNotInput(path, inputs, [
      { path: target, role: 'the output' },
      { path: temporary, role: 'its temporary file' },
    ]);
    await rename(temporary, target);
  } catch (error) {
    // Only a file this call made: a name that already existed is another writer's.
    if (created) await rm(temporary, { force: true });
    if (isAxialError(error)) throw error;
    // The temporary file could not be made: most often the folder's fault, said as such.
    if (!created) await assertOutputFolder(path);
    // Node names the path of the call that failed, which is the hidden temporary file: the output is named instead.
    const problem = (error as Error).message.replace(/ '.*'$/s, '');
    throw new AxialError('OUTPUT_WRITE_FAILED', `cannot write: ${problem}`, { file: path, cause: error });
  } finally {
    inFlightTemporaries.paths.delete(temporary);
  }
  await syncFolder(dirname(target));
}

/** Flushes the folder's entries, so that after a power cut the new name is there too; not possible on Windows, where it is skipped. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
