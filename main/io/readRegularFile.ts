import { openRegularFile } from './openRegularFile.js';

/** How big a file may be, and what to throw for one bigger. */
export interface ReadLimit {
  readonly maxBytes: number;
  readonly tooLarge: (size: number) => Error;
}

/**
 * A whole file's bytes: a regular file only (openRegularFile: a FIFO would block the read forever, a device never
 * ends), and, given a `limit`, refused by its size, taken from the open handle, before anything is read.
 * @throws what `limit.tooLarge` makes for a file past `limit.maxBytes`; AxialError INPUT_NOT_A_FILE for a FIFO,
 *   device or folder; the open's or read's own errno error (ENOENT, EACCES, EIO, …) for the caller to word.
 */
export async function readRegularFile(file: string, limit?: ReadLimit): Promise<Buffer> {
  const handle = await openRegularFile(file);
  try {
    if (limit) {
      const { size } = await handle.stat();
      if (size > limit.maxBytes) throw limit.tooLarge(size);
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
