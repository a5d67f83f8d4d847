import type { FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { isAxialError } from '../errors/AxialError.js';
import { openRegularFile } from './openRegularFile.js';

/** Which part of the decompressed stream to keep. */
export interface InflateRange {
  /** Decompressed bytes to pass over first (a NIfTI vox_offset, a NRRD byte skip). */
  readonly offset: number;
  /** Bytes to keep from there; inflation stops once they are in. */
  readonly size: number;
}

export interface InflateIntoParams {
  /** The file holding the gzip stream, streamed from disk so it is never held whole. */
  readonly path: string;
  /** Where the gzip stream starts in the file (past an attached NRRD header); 0 by default. */
  readonly start?: number;
  /** Decompressed bytes `rangeFromHeader` sees (fewer only when the whole stream is shorter); 0 for none. */
  readonly headerBytes: number;
  /**
   * Given the first `headerBytes` decompressed bytes, the range wanted. Called before the output is allocated, so
   * it is the place to refuse a size the caller cannot hold; what it throws propagates.
   */
  readonly rangeFromHeader: (header: Uint8Array) => InflateRange;
  /** Allocates the output (e.g. over a typed array of the voxel type, so it need not be copied); zeroed bytes by default. */
  readonly allocate?: (size: number) => Uint8Array;
}

export interface InflateIntoResult {
  /** Exactly the range asked for, as allocated by `allocate`. */
  readonly bytes: Uint8Array;
  /** The first `headerBytes` decompressed bytes (a copy; fewer when the stream is shorter). */
  readonly header: Uint8Array;
}

/** Why inflation stopped short: the caller maps these onto its own format's error codes. */
export class InflateError extends Error {
  constructor(
    readonly reason: 'corrupt' | 'short' | 'unreadable',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Deflate never expands data more than 1032-fold (zlib's FAQ: a 258-byte match costs at least two bits), so a
 * stream of n bytes cannot hold more than 1032·n: a claim beyond that is refused before anything is allocated.
 */
export const maxDeflateRatio = 1032;
/**
 * Decompressed bytes inflated past the range before giving up on the stream's end: a stream that ends within
 * them (a 3-D file, written by any tool) has its length and CRC checked; one that goes on (a 4-D file's later
 * volumes, or a hostile tail) is left uninflated.
 */
const trailingBytes = 1 << 20;

/**
 * Gunzips one range of a file's decompressed stream into one buffer, allocated once the header says how large
 * the range is, and stops soon after it holds that many bytes: peak memory is the range plus a few megabytes of
 * stream buffers, a 4-D file's later volumes are never inflated, and a stream far longer than its header needs
 * costs next to nothing. The CRC is checked when the stream ends within a megabyte past the range; otherwise
 * deflate's own structure still catches most damage.
 * @throws InflateError `short` when the range cannot fit in the stream (checked against the compressed size
 *   before allocating) or the stream ends before it, `corrupt` for a damaged stream, `unreadable` when the file
 *   cannot be read; AxialError INPUT_NOT_A_FILE for a FIFO, device or folder; errors thrown by `rangeFromHeader`
 *   propagate.
 */
export async function inflateInto(params: InflateIntoParams): Promise<InflateIntoResult> {
  let handle: FileHandle;
  try {
    handle = await openRegularFile(params.path);
  } catch (error) {
    if (isAxialError(error)) throw error;
    throw new InflateError('unreadable', `cannot open: ${(error as Error).message}`);
  }
  let compressedBytes: number;
  try {
    compressedBytes = Math.max(0, (await handle.stat()).size - (params.start ?? 0));
  } catch (error) {
    await handle.close();
    throw new InflateError('unreadable', `cannot read: ${(error as Error).message}`);
  }
  return streamRange(params, handle, compressedBytes);
}

function streamRange(params: InflateIntoParams, handle: FileHandle, compressedBytes: number): Promise<InflateIntoResult> {
  return new Promise((resolvePromise, rejectPromise) => {
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    // The stream closes the handle when it ends or is destroyed.
    const file = handle.createReadStream({ start: params.start ?? 0, highWaterMark: 1 << 20 });
    let pending: Uint8Array[] = [];
    let position = 0;
    let header: Uint8Array | undefined;
    let range: InflateRange | undefined;
    let output: Uint8Array | undefined;
    let filled = 0;
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      gunzip.removeAllListeners('data');
      file.destroy();
      gunzip.destroy();
      if (error) rejectPromise(error);
      else resolvePromise({ bytes: output!, header: header! });
    };
    /** Copies the part of the chunk at `chunkStart` that falls in the range. */
    const take = (chunk: Uint8Array, chunkStart: number): void => {
      const from = Math.max(range!.offset, chunkStart);
      const to = Math.min(range!.offset + range!.size, chunkStart + chunk.length);
      if (to > from) output!.set(chunk.subarray(from - chunkStart, to - chunkStart), from - range!.offset);
      filled = Math.max(filled, to - range!.offset);
      if (filled >= range!.size && position - (range!.offset + range!.size) > trailingBytes) finish();
    };
    const begin = (): void => {
      const head = Buffer.concat(pending);
      pending = [];
      header = head.subarray(0, params.headerBytes);
      try {
        range = checkedRange(params.rangeFromHeader(header), compressedBytes);
        output = (params.allocate ?? ((n) => new Uint8Array(n)))(range.size);
      } catch (error) {
        return finish(error as Error);
      }
      header = Uint8Array.from(header);
      take(head, 0);
    };
    gunzip.on('data', (chunk: Buffer) => {
      const chunkStart = position;
      position += chunk.length;
      if (range) return take(chunk, chunkStart);
      pending.push(chunk);
      if (position >= params.headerBytes) begin();
    });
    gunzip.on('error', (error: NodeJS.ErrnoException) => {
      const cut = error.code === 'Z_BUF_ERROR';
      finish(new InflateError(cut ? 'short' : 'corrupt', cut ? 'the gzip stream stops mid-way' : error.message));
    });
    gunzip.on('end', () => {
      if (!range) begin();
      if (settled) return;
      if (filled < range!.size) finish(new InflateError('short', `decompressed ${filled} of ${range!.size} bytes`));
      else finish();
    });
    file.on('error', (error) => finish(new InflateError('unreadable', `cannot read: ${error.message}`)));
    file.pipe(gunzip);
  });
}

function checkedRange(range: InflateRange, compressedBytes: number): InflateRange {
  const end = range.offset + range.size;
  if (!Number.isSafeInteger(range.offset) || !Number.isSafeInteger(range.size) || range.offset < 0 || range.size < 0) {
    throw new InflateError('short', `asked for ${range.size} bytes at offset ${range.offset}`);
  }
  if (end > compressedBytes * maxDeflateRatio) {
    throw new InflateError(
      'short',
      `needs ${end} decompressed bytes; a gzip stream of ${compressedBytes} bytes holds at most ${compressedBytes * maxDeflateRatio}`,
    );
  }
  return range;
}
