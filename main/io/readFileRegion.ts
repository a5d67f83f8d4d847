import { open } from 'node:fs/promises';

/** Reads up to `length` bytes at `position` into `target` (or a new buffer); returns the bytes actually read. */
export async function readFileRegion(
  path: string,
  position: number,
  length: number,
  target: Uint8Array = new Uint8Array(length),
): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(target, done, length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return target.subarray(0, done);
  } finally {
    await handle.close();
  }
}
