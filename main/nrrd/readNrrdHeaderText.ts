import { AxialError } from '../errors/AxialError.js';
import { openNrrdFile } from './openNrrdFile.js';

export interface NrrdHeaderText {
  /** From the magic line up to (not including) the blank line that ends the header. */
  readonly text: string;
  /** Where attached data starts: just past the blank line, or the file's end when there is none. */
  readonly dataOffset: number;
}

const maxHeaderBytes = 1024 ** 2;
const chunkBytes = 64 * 1024;

/**
 * Reads a NRRD header up to the blank line that ends it; the magic is checked before anything past it is read,
 * and a header that has not ended within its first MiB is refused rather than read on.
 * @throws AxialError INPUT_NOT_FOUND, INPUT_UNREADABLE or INPUT_NOT_A_FILE when the file cannot be opened;
 *   NRRD_BAD_MAGIC; NRRD_BAD_HEADER when no blank line ends the header in its first MiB.
 */
export async function readNrrdHeaderText(path: string): Promise<NrrdHeaderText> {
  const handle = await openNrrdFile(path, path);
  try {
    const magic = Buffer.alloc(9);
    const { bytesRead } = await handle.read(magic, 0, 9, 0);
    if (!/^NRRD000[1-5]\r?\n?$/.test(magic.toString('latin1', 0, bytesRead))) {
      throw new AxialError('NRRD_BAD_MAGIC', 'not a NRRD file (no NRRD0001–NRRD0005 magic line)', { file: path });
    }
    let text = '';
    const chunk = Buffer.alloc(chunkBytes);
    for (;;) {
      const read = await handle.read(chunk, 0, chunkBytes, text.length);
      text += chunk.toString('latin1', 0, read.bytesRead);
      const end = /\r?\n\r?\n/.exec(text);
      // latin1 maps byte n to character n, so string indices are file offsets.
      if (end) return { text: text.slice(0, end.index), dataOffset: end.index + end[0].length };
      if (read.bytesRead === 0) return { text, dataOffset: text.length };
      if (text.length > maxHeaderBytes) {
        throw new AxialError('NRRD_BAD_HEADER', 'no blank line ends the header in its first MiB', { file: path });
      }
    }
  } finally {
    await handle.close();
  }
}
