import type { FileHandle } from 'node:fs/promises';

/** Node writes at most 2 GiB in one call: an uncompressed volume's voxels go in pieces. */
const pieceBytes = 1 << 30;

/**
 * Writes every byte of `bytes` at the handle's position. One `write` may take
 * only part of a buffer without an error (a disk filling up, a file size
 * limit): the rest is written on, and a write that takes nothing is a full
 * disk, never a short file taken for a whole one.
 * @throws Error with code ENOSPC when the file system takes no more, or the write's own error.
 */
export async function writeAll(handle: Pick<FileHandle, 'write'>, bytes: Uint8Array, piece = pieceBytes): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, offset, Math.min(piece, bytes.byteLength - offset));
    if (bytesWritten === 0) throw Object.assign(new Error('no space left on the device: a write took no bytes'), { code: 'ENOSPC' });
    offset += bytesWritten;
  }
}
