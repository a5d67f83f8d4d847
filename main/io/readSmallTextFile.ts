import { AxialError } from '../errors/AxialError.js';
import { readRegularFile } from './readRegularFile.js';

/**
 * The text (UTF-8) of a small file Axial keeps or is handed (its settings, its recent list, a case list, label
 * names): a regular file only, since a FIFO would block the read forever, and refused by its size, taken from the
 * open handle, before anything is read.
 * @throws AxialError INPUT_NOT_A_FILE for a FIFO, device or folder; INPUT_TOO_LARGE past `maxBytes`, saying what
 *   `kind` of file it was taken for; the open's own errno error (ENOENT, EACCES, …) for the caller to word.
 */
export async function readSmallTextFile(file: string, maxBytes: number, kind: string): Promise<string> {
  const tooLarge = (size: number): Error => new AxialError('INPUT_TOO_LARGE', `${size} bytes, more than ${kind} holds (at most ${maxBytes})`, { file });
  return (await readRegularFile(file, { maxBytes, tooLarge })).toString('utf8');
}
