import type { FileHandle } from 'node:fs/promises';
import { AxialError } from '../errors/AxialError.js';
import { allocateVoxels } from '../io/allocateVoxels.js';
import type { VoxelArray } from '../volume/Volume.js';
import type { NrrdType } from './parseNrrdHeader.js';

export interface ReadNrrdAsciiParams {
  readonly handle: FileHandle;
  /** Where the values start in the file (past the header and any skipped lines). */
  readonly start: number;
  /** Values to read: the rest of the file is never looked at. */
  readonly count: number;
  readonly type: NrrdType;
  /** The header, named in errors. */
  readonly path: string;
  readonly truncated: (detail: string) => AxialError;
}

const maxAsciiBytes = 256 * 1024 ** 2;
/** Longer than any number written in decimal; a longer run without a separator is not data. */
const maxTokenLength = 1024;
const chunkBytes = 64 * 1024;

/**
 * Reads `count` whitespace- or comma-separated numbers, a chunk at a time, straight into the voxel array: memory is
 * the array and one chunk however large the text (splitting it whole once cost a string per value).
 * @throws AxialError NRRD_UNSUPPORTED for ascii data over 256 MiB; NRRD_BAD_HEADER naming a value that is not a
 *   number; NRRD_TRUNCATED (via `truncated`) when fewer values are there, before allocating when the bytes left
 *   are too few for them (under two a value).
 */
export async function readNrrdAscii(params: ReadNrrdAsciiParams): Promise<VoxelArray> {
  const { handle, start, count, type, path } = params;
  const size = Math.max(0, (await handle.stat()).size - start);
  if (size > maxAsciiBytes) {
    throw new AxialError('NRRD_UNSUPPORTED', `ascii data of ${size} bytes, over ${maxAsciiBytes}`, { file: path });
  }
  // Each value takes a digit and a separator, but for the last: a claim the bytes cannot hold is refused unallocated.
  if (count > 0 && size < 2 * count - 1) throw params.truncated(`${size} bytes of ascii data cannot hold ${count} values`);
  const voxels = allocateVoxels(() => type.make(count), count * type.bytes, path);
  const chunk = Buffer.alloc(chunkBytes);
  let filled = 0;
  let carry = '';
  for (let position = start; filled < count;) {
    const { bytesRead } = await handle.read(chunk, 0, chunkBytes, position);
    position += bytesRead;
    const tokens = (carry + chunk.toString('latin1', 0, bytesRead)).split(/[\s,]+/);
    // The last token may go on in the next chunk, unless the file has ended.
    carry = bytesRead === 0 ? '' : tokens.pop()!;
    if (carry.length > maxTokenLength) {
      throw new AxialError('NRRD_BAD_HEADER', `ascii value of over ${maxTokenLength} characters`, { file: path });
    }
    for (const token of tokens) {
      if (token !== '' && filled < count) voxels[filled++] = asciiValue(token, path);
    }
    if (bytesRead === 0) break;
  }
  if (filled < count) throw params.truncated(`${filled} of ${count} ascii values`);
  return voxels;
}

function asciiValue(token: string, path: string): number {
  const value = Number(token);
  if (Number.isNaN(value) && !/^nan$/i.test(token)) {
    throw new AxialError('NRRD_BAD_HEADER', `ascii value '${token}' is not a number`, { file: path });
  }
  return value;
}
