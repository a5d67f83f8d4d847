import type { FileHandle } from 'node:fs/promises';
import { crc32, createInflateRaw, type InflateRaw } from 'node:zlib';
import { isAxialError } from '../errors/AxialError.js';
import { openRegularFile } from './openRegularFile.js';
import { parseGzipHeader, type GzipHeader } from './parseGzipHeader.js';
import { SequentialFileReader } from './SequentialFileReader.js';

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
const chunkBytes = 1 << 20;
/**
 * Compressed bytes handed to the inflater at once: what one write may inflate past the range (at most 1032 times
 * as much, 66 MB) before the sink can stop it. Smaller costs more per write on ordinary files.
 */
const feedBytes = 64 * 1024;
/** Longest gzip member header read (its optional name and comment); zlib sets none, but real files never come near. */
const maxGzipHeaderBytes = 1 << 20;

/**
 * Gunzips one range of a file's decompressed stream into one buffer, allocated once the header says how large
 * the range is, and stops soon after it holds that many bytes: peak memory is the range plus a few megabytes of
 * stream buffers, a 4-D file's later volumes are never inflated, and a stream far longer than its header needs
 * costs next to nothing. The CRC of the gzip member that fills the range is checked when it ends within a megabyte
 * past the range; otherwise deflate's own structure still catches most damage. Several gzip members in a row are
 * read as one stream, as gzip does. Once the range is filled, whatever follows the member that filled it is never
 * read: a newline or other bytes after the gzip data (which Teem and gzip ignore) do not fail the read.
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
  try {
    const end = await unreadable(async () => (await handle.stat()).size);
    const start = params.start ?? 0;
    const sink = new RangeSink(params, Math.max(0, end - start));
    await inflateMembers(new SequentialFileReader(handle, start, end, chunkBytes), sink);
    return sink.finish();
  } finally {
    await handle.close();
  }
}

/**
 * Inflates gzip members one after another until the sink has its range or the stream ends. The member that fills
 * the range is the last one read: whatever follows it (a newline, zero padding, anything) is never looked at.
 */
async function inflateMembers(reader: SequentialFileReader, sink: RangeSink): Promise<void> {
  for (let first = true; (await unreadable(() => reader.peek(1))).length > 0; first = false) {
    const header = await readGzipHeader(reader);
    if (!header.ok) {
      // Bytes that do not even start like gzip after a member are not another member, as gzip and Teem read them.
      if (!first && header.problem === 'not gzip') return;
      throw new InflateError(header.problem === 'short' ? 'short' : 'corrupt', header.message);
    }
    await unreadable(() => reader.take(header.length));
    // Later members are small where there are many (bgzip's are 64 KiB): a smaller output buffer costs less for each.
    const body = await inflateMember(reader, sink, first ? chunkBytes : 64 * 1024);
    // Once the range is in, what went wrong after it (a cut stream, damage past it) does not matter.
    if (body.stopped || (body.error && sink.full)) return;
    if (body.error) throw body.error;
    const trailer = await unreadable(() => reader.take(8));
    if (trailer.length < 8) {
      if (sink.full) return;
      throw new InflateError('short', 'the gzip stream stops mid-way');
    }
    // The CRC covers this member's bytes, the range's among them: a mismatch fails the read even once it is full.
    if (trailer.readUInt32LE(0) !== body.crc) throw new InflateError('corrupt', 'incorrect data check');
    if (trailer.readUInt32LE(4) !== body.length % 2 ** 32) throw new InflateError('corrupt', 'incorrect length check');
    if (sink.full) return;
  }
}

async function readGzipHeader(reader: SequentialFileReader): Promise<GzipHeader> {
  for (let length = 512; ; length *= 2) {
    const bytes = await unreadable(() => reader.peek(length));
    const header = parseGzipHeader(bytes);
    if (header.ok || header.problem !== 'short' || bytes.length < length) return header;
    if (length >= maxGzipHeaderBytes) return { ok: false, problem: 'corrupt', message: `gzip header of over ${maxGzipHeaderBytes} bytes` };
  }
}

interface MemberBody {
  /** CRC-32 and length of what the deflate data inflated to. */
  readonly crc: number;
  readonly length: number;
  /** The sink had its range and enough past it: the rest was left uninflated. */
  readonly stopped: boolean;
  /** Why the deflate data could not be inflated to its end. */
  readonly error?: InflateError;
}

/**
 * Feeds one member's deflate data to a raw inflater, which stops at the data's own end; the bytes past that end
 * (the member's trailer, and what follows) go back to the reader. It is fed at most {@link feedBytes} at a time
 * and stops as soon as the sink has its range: a write runs to the end of its input, and a megabyte of zeros
 * inflates to a gigabyte.
 */
async function inflateMember(reader: SequentialFileReader, sink: RangeSink, outputChunkBytes: number): Promise<MemberBody> {
  const inflater = createInflateRaw({ chunkSize: outputChunkBytes });
  let crc = 0;
  let length = 0;
  let stopped = false;
  let failure: unknown;
  inflater.on('data', (chunk: Buffer) => {
    if (stopped || failure !== undefined) return;
    crc = crc32(chunk, crc);
    length += chunk.length;
    try {
      stopped = sink.push(chunk);
    } catch (error) {
      failure = error;
    }
  });
  const result = (error?: Error): MemberBody => ({ crc, length, stopped, ...(error ? { error: zlibError(error) } : {}) });
  try {
    for (let fed = 0; ;) {
      const chunk = await unreadable(() => reader.next());
      if (chunk.length === 0) {
        const error = await feed(inflater, null);
        if (failure !== undefined) throw failure;
        return result(error);
      }
      const chunkStart = fed;
      for (let at = 0; at < chunk.length; at += feedBytes) {
        const slice = chunk.subarray(at, at + feedBytes);
        const error = await feed(inflater, slice);
        if (failure !== undefined) throw failure;
        if (error || stopped) return result(error);
        fed += slice.length;
        // The deflate data ended inside this slice when some of it was left: that is the trailer and what follows.
        if (inflater.bytesWritten < fed) {
          reader.giveBack(chunk.subarray(inflater.bytesWritten - chunkStart));
          return result();
        }
      }
    }
  } finally {
    inflater.destroy();
  }
}

/**
 * Resolves once the inflater has taken `chunk`, or for null once it has ended, with the error it raised, if any
 * (a write that fails never calls back, and end's own callback comes before the error).
 */
function feed(inflater: InflateRaw, chunk: Buffer | null): Promise<Error | undefined> {
  return new Promise((resolve) => {
    const settle = (error?: Error): void => {
      inflater.off('error', settle);
      inflater.off('end', settle);
      resolve(error);
    };
    inflater.on('error', settle);
    if (chunk) {
      inflater.write(chunk, () => settle());
    } else {
      inflater.on('end', settle);
      inflater.end();
    }
  });
}

function zlibError(error: NodeJS.ErrnoException): InflateError {
  return error.code === 'Z_BUF_ERROR' ? new InflateError('short', 'the gzip stream stops mid-way') : new InflateError('corrupt', error.message);
}

async function unreadable<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new InflateError('unreadable', `cannot read: ${(error as Error).message}`);
  }
}

/** Takes the decompressed stream chunk by chunk: the header first, then the range, allocated once it is known. */
class RangeSink {
  private pending: Buffer[] = [];
  private position = 0;
  private header: Uint8Array | undefined;
  private range: InflateRange | undefined;
  private output: Uint8Array | undefined;
  private filled = 0;

  constructor(
    private readonly params: InflateIntoParams,
    private readonly compressedBytes: number,
  ) {}

  /** True once the whole range is in. */
  get full(): boolean {
    return this.range !== undefined && this.filled >= this.range.size;
  }

  /** Takes the next chunk; true once the range is in and enough past it has gone by to stop. */
  push(chunk: Buffer): boolean {
    const chunkStart = this.position;
    this.position += chunk.length;
    if (this.range) return this.take(chunk, chunkStart);
    this.pending.push(chunk);
    return this.position >= this.params.headerBytes ? this.begin() : false;
  }

  /** The range, once the stream has given all it will. */
  finish(): InflateIntoResult {
    if (!this.range) this.begin();
    if (this.filled < this.range!.size) throw new InflateError('short', `decompressed ${this.filled} of ${this.range!.size} bytes`);
    return { bytes: this.output!, header: this.header! };
  }

  private begin(): boolean {
    const head = Buffer.concat(this.pending);
    this.pending = [];
    this.range = checkedRange(this.params.rangeFromHeader(head.subarray(0, this.params.headerBytes)), this.compressedBytes);
    this.output = (this.params.allocate ?? ((n) => new Uint8Array(n)))(this.range.size);
    this.header = Uint8Array.from(head.subarray(0, this.params.headerBytes));
    return this.take(head, 0);
  }

  /** Copies the part of the chunk at `chunkStart` that falls in the range. */
  private take(chunk: Uint8Array, chunkStart: number): boolean {
    const { offset, size } = this.range!;
    const from = Math.max(offset, chunkStart);
    const to = Math.min(offset + size, chunkStart + chunk.length);
    if (to > from) this.output!.set(chunk.subarray(from - chunkStart, to - chunkStart), from - offset);
    this.filled = Math.max(this.filled, to - offset);
    return this.filled >= size && this.position - (offset + size) > trailingBytes;
  }
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
