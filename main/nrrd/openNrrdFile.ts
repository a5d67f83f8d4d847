import type { FileHandle } from 'node:fs/promises';
import { AxialError, isAxialError } from '../errors/AxialError.js';
import { openRegularFile } from '../io/openRegularFile.js';

/**
 * Opens a NRRD header or its data file, regular files only (a FIFO as data file would block the read forever).
 * @param file The file to open (already confined, for a data file).
 * @param headerPath The header, put in front of every error.
 * @throws AxialError INPUT_NOT_FOUND or INPUT_UNREADABLE when it cannot be opened; INPUT_NOT_A_FILE when it is
 *   a FIFO, a device or a folder.
 */
export async function openNrrdFile(file: string, headerPath: string): Promise<FileHandle> {
  const what = file === headerPath ? 'file' : `data file ${file}`;
  try {
    return await openRegularFile(file, { file: headerPath, describe: file === headerPath ? undefined : what });
  } catch (error) {
    if (isAxialError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE';
    throw new AxialError(code, `cannot open ${what}: ${(error as Error).message}`, { file: headerPath, cause: error });
  }
}
