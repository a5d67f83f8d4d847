import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { AxialError } from '../errors/AxialError.js';
import { replaceableOutputMode } from './replaceableOutputMode.js';

/**
 * Checks that an output can be written, before the work that makes it: its folder exists, is a folder and this user
 * may create files there, and a file already at `path` is not write-protected ({@link replaceableOutputMode}).
 * Said in words that name the output and the folder, never the hidden temporary file a write goes through.
 * @throws AxialError OUTPUT_WRITE_FAILED naming `path`, and the folder when that is the problem.
 */
export async function assertOutputFolder(path: string): Promise<void> {
  const folder = dirname(resolve(path));
  const refuse = (problem: string): AxialError => new AxialError('OUTPUT_WRITE_FAILED', `cannot write: ${problem}`, { file: path });
  const stats = await stat(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw refuse(`the folder ${folder} does not exist`);
    if (error.code === 'ENOTDIR') throw refuse(`${folder} is not a folder (part of the path is a file)`);
    throw refuse(`the folder ${folder} cannot be reached (${error.code ?? error.message})`);
  });
  if (!stats.isDirectory()) throw refuse(`${folder} is not a folder`);
  await access(folder, constants.W_OK | constants.X_OK).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EROFS') throw refuse(`the folder ${folder} is on a read-only file system`);
    throw refuse(`this user may not create files in the folder ${folder}`);
  });
  await replaceableOutputMode(path);
}
