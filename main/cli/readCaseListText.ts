import { AxialError, isAxialError } from '../errors/AxialError.js';
import { readSmallTextFile } from '../io/readSmallTextFile.js';

/** A list past this size is not a case list. */
const maxListBytes = 64 << 20;

/**
 * A batch's case list as text (a UTF-8 byte order mark, as spreadsheets write, dropped), its size checked before it
 * is read, so a huge or endless file named as the list is refused rather than loaded.
 * @throws AxialError INPUT_NOT_FOUND when the file cannot be read; INPUT_NOT_A_FILE for a FIFO, device or folder;
 *   INPUT_TOO_LARGE past 64 MiB
 */
export async function readCaseListText(file: string): Promise<string> {
  const cannotRead = (error: unknown): never => {
    if (isAxialError(error)) throw error;
    throw new AxialError('INPUT_NOT_FOUND', `cannot read the case list: ${(error as Error).message}`, { file, cause: error });
  };
  const text = await readSmallTextFile(file, maxListBytes, 'a case list').catch(cannotRead);
  // Spreadsheets save CSV with a UTF-8 byte order mark, which would otherwise join the first column's name.
  return text.replace(/^\uFEFF/, '');
}
