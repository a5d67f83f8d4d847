import { openRegularFile } from './openRegularFile.js';

/**
 * Reads up to `length` bytes at `position` into `target` (or a new buffer); returns the bytes actually read.
 * Only a regular file is read: a FIFO would block until a writer came, a device would never end.
 * @throws AxialError INPUT_NOT_A_FILE for a FIFO, device or folder; the open's or read's errno error otherwise.
 */
export async function readFileRegion(path: string, position: number, length: number, target: Uint8Array = new Uint8Array(length)): Promise<Uint8Array> {
  const handle = await openRegularFile(path);
  try {
    let done = 0;
    while (done < length) {
      // One read() may not ask for 2 GiB or more.
      const { bytesRead } = await handle.read(target, done, Math.min(length - done, 1 << 30), position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return target.subarray(0, done);
  } finally {
    await handle.close();
  }
}
