import { constants as bufferConstants } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pipeline } from 'node:stream';
import { createUnzip } from 'node:zlib';
import { AxialError } from '../errors/AxialError.js';
import { createVolume, type Volume, type VoxelArray } from '../volume/Volume.js';
import { parseNrrdHeader, type NrrdHeader, type NrrdType } from './parseNrrdHeader.js';

export interface ReadNrrdOptions {
  /** Largest decoded voxel buffer to allocate, in bytes (default 8 GiB). */
  readonly maxBytes?: number;
}

export interface ReadNrrdResult {
  readonly volume: Volume;
  readonly warnings: string[];
}

/** Where the voxels lie and how they are stored. */
interface DataPlan {
  readonly file: string;
  readonly start: number;
  readonly lineSkip: number;
  readonly byteSkip: number;
  readonly encoding: NrrdHeader['encoding'];
  readonly type: NrrdType;
  readonly littleEndian: boolean;
  /** Values the file declares, and how many of the leading ones are read. */
  readonly totalCount: number;
  readonly neededCount: number;
}

type Truncated = (detail: string) => AxialError;

const DEFAULT_MAX_BYTES = 8 * 1024 ** 3;
const MAX_HEADER_BYTES = 1024 ** 2;
const MAX_ASCII_BYTES = 256 * 1024 ** 2;
const CHUNK = 64 * 1024;

/**
 * Reads a 3-D NRRD (attached or detached header; raw, gzip or ascii data) into an LPS Volume.
 * A 4-D file whose first or last axis is non-spatial yields its first volume, with a warning.
 * @throws AxialError INPUT_NOT_FOUND or INPUT_UNREADABLE when the header or data file cannot be opened;
 *   NRRD_BAD_MAGIC; NRRD_BAD_HEADER; NRRD_UNSUPPORTED (naming the encoding, type, space, dimension or data
 *   file list); VOLUME_TOO_LARGE, before allocating, past `maxBytes`; NRRD_TRUNCATED when the data is short;
 *   NRRD_CORRUPT_COMPRESSION for a damaged gzip stream; VOLUME_INVALID for degenerate geometry.
 */
export async function readNrrd(path: string, options: ReadNrrdOptions = {}): Promise<ReadNrrdResult> {
  const { text, dataOffset } = await readHeaderText(path);
  const header = parseNrrdHeader(text, path);
  const plan = planData(header, path, dataOffset);
  const voxels = await readVoxels(path, header.warnings, plan, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const [i, j, k] = header.spatialAxes.map((a) => header.sizes[a]!);
  const volume = createVolume({
    dimensions: [i!, j!, k!],
    ...header.geometry,
    voxels: header.extraAxis === 0 ? takeFirstComponent(voxels, header.sizes[0]!, plan.type) : voxels,
    metadata: { format: 'nrrd', windowPresets: [], fileCount: plan.file === path ? 1 : 2 },
  });
  return { volume, warnings: header.warnings };
}

/** Reads up to the blank line that ends the header; the magic is checked before anything past it is read. */
async function readHeaderText(path: string): Promise<{ text: string; dataOffset: number }> {
  const handle = await openInput(path, path);
  try {
    const magic = Buffer.alloc(9);
    const { bytesRead } = await handle.read(magic, 0, 9, 0);
    if (!/^NRRD000[1-5]\r?\n?$/.test(magic.toString('latin1', 0, bytesRead))) {
      throw new AxialError('NRRD_BAD_MAGIC', 'not a NRRD file (no NRRD0001–NRRD0005 magic line)', { file: path });
    }
    let text = '';
    for (;;) {
      const chunk = Buffer.alloc(CHUNK);
      const read = await handle.read(chunk, 0, CHUNK, text.length);
      text += chunk.toString('latin1', 0, read.bytesRead);
      const end = /\r?\n\r?\n/.exec(text);
      // latin1 maps byte n to character n, so string indices are file offsets.
      if (end) return { text: text.slice(0, end.index), dataOffset: end.index + end[0].length };
      if (read.bytesRead === 0) return { text, dataOffset: text.length };
      if (text.length > MAX_HEADER_BYTES) {
        throw new AxialError('NRRD_BAD_HEADER', 'no blank line ends the header in its first MiB', { file: path });
      }
    }
  } finally {
    await handle.close();
  }
}

function planData(header: NrrdHeader, path: string, dataOffset: number): DataPlan {
  const { dataFile, sizes, extraAxis, lineSkip, byteSkip, encoding, type, littleEndian } = header;
  const totalCount = sizes.reduce((p, n) => p * n, 1);
  const file = dataFile ? resolve(dirname(path), dataFile) : path;
  const start = dataFile ? 0 : dataOffset;
  // A trailing extra axis is outermost, so the first volume is a prefix of the data.
  const neededCount = extraAxis === 3 ? totalCount / sizes[3]! : totalCount;
  return { file, start, lineSkip, byteSkip, encoding, type, littleEndian, totalCount, neededCount };
}

async function readVoxels(path: string, warnings: string[], plan: DataPlan, maxBytes: number): Promise<VoxelArray> {
  const bytes = plan.neededCount * plan.type.bytes;
  const limit = Math.min(maxBytes, bufferConstants.MAX_LENGTH);
  if (bytes > limit) {
    const message = `voxel data of ${bytes} bytes exceeds the ${limit}-byte limit`;
    throw new AxialError('VOLUME_TOO_LARGE', message, { file: path });
  }
  const truncated: Truncated = (detail) =>
    new AxialError('NRRD_TRUNCATED', `data ends early: ${detail}`, { file: path });
  const handle = await openInput(plan.file, path);
  try {
    const start = await skipLines(handle, plan.start, plan.lineSkip, truncated);
    if (plan.encoding === 'ascii') return await readAscii(handle, start, plan, path, truncated);
    const fileSize = (await handle.stat()).size;
    const totalBytes = plan.totalCount * plan.type.bytes;
    const offset = plan.byteSkip === -1 ? fileSize - totalBytes : start + plan.byteSkip;
    if (plan.encoding === 'raw' && (offset < start || fileSize - offset < totalBytes)) {
      throw truncated(`${totalBytes} bytes declared, ${Math.max(0, fileSize - Math.max(offset, start))} present`);
    }
    const voxels = plan.type.make(plan.neededCount);
    const target = new Uint8Array(voxels.buffer, 0, bytes);
    if (plan.encoding === 'raw') await readExactly(handle, target, offset, truncated);
    else await inflateInto(plan, start, target, path, truncated);
    // Typed arrays use the host's byte order, little-endian on every platform Node ships for.
    if (!plan.littleEndian && plan.type.bytes > 1) swapBytes(Buffer.from(voxels.buffer, 0, bytes), plan.type.bytes);
    if (plan.type.wide && widenInt64(voxels as Float64Array, plan.type.wide)) {
      warnings.push('some 64-bit integers lie beyond 2^53 and lost precision');
    }
    return voxels;
  } finally {
    await handle.close();
  }
}

async function openInput(file: string, headerPath: string): Promise<FileHandle> {
  try {
    return await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE';
    const what = file === headerPath ? 'file' : `data file ${file}`;
    throw new AxialError(code, `cannot open ${what}: ${(error as Error).message}`, { file: headerPath, cause: error });
  }
}

/** Offset just past the `count`-th newline from `start`. */
async function skipLines(handle: FileHandle, start: number, count: number, truncated: Truncated): Promise<number> {
  let position = start;
  const chunk = Buffer.alloc(CHUNK);
  for (let left = count; left > 0; ) {
    const { bytesRead } = await handle.read(chunk, 0, CHUNK, position);
    if (bytesRead === 0) throw truncated(`fewer than ${count} lines to skip`);
    for (let i = 0; i < bytesRead && left > 0; i++, position++) if (chunk[i] === 0x0a) left--;
  }
  return position;
}

async function readExactly(handle: FileHandle, target: Uint8Array, offset: number, truncated: Truncated) {
  for (let filled = 0; filled < target.length; ) {
    const length = Math.min(target.length - filled, 1 << 30);
    const { bytesRead } = await handle.read(target, filled, length, offset + filled);
    if (bytesRead === 0) throw truncated(`${filled} of ${target.length} bytes read`);
    filled += bytesRead;
  }
}

/** Inflates into the preallocated target; `byte skip` counts decompressed bytes, as in Teem. */
async function inflateInto(plan: DataPlan, start: number, target: Uint8Array, path: string, truncated: Truncated) {
  // The callback only swallows the premature close of an early break; real failures surface in the loop.
  const stream = pipeline(createReadStream(plan.file, { start }), createUnzip(), () => {});
  let skip = plan.byteSkip;
  let filled = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const usable = chunk.subarray(Math.min(skip, chunk.length));
      skip -= chunk.length - usable.length;
      const take = Math.min(usable.length, target.length - filled);
      target.set(usable.subarray(0, take), filled);
      filled += take;
      // Only a 4-D file's first volume stops early; a whole stream is read to its end so its CRC is checked.
      if (filled === target.length && plan.neededCount < plan.totalCount) break;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'Z_BUF_ERROR') throw truncated('the gzip stream stops mid-way');
    const [errorCode, what] = code.startsWith('Z_')
      ? (['NRRD_CORRUPT_COMPRESSION', 'gzip data is corrupt'] as const)
      : (['INPUT_UNREADABLE', 'cannot read data'] as const);
    throw new AxialError(errorCode, `${what}: ${(error as Error).message}`, { file: path, cause: error });
  }
  if (filled < target.length) throw truncated(`${filled} of ${target.length} bytes after decompression`);
}

async function readAscii(handle: FileHandle, start: number, plan: DataPlan, path: string, truncated: Truncated) {
  const size = Math.max(0, (await handle.stat()).size - start);
  if (size > MAX_ASCII_BYTES) {
    throw new AxialError('NRRD_UNSUPPORTED', `ascii data over ${MAX_ASCII_BYTES} bytes`, { file: path });
  }
  const text = Buffer.alloc(size);
  await readExactly(handle, text, start, truncated);
  const values = text.toString('latin1').split(/[\s,]+/).filter((t) => t !== '');
  if (values.length < plan.neededCount) throw truncated(`${values.length} of ${plan.neededCount} ascii values`);
  const voxels = plan.type.make(plan.neededCount);
  for (let i = 0; i < plan.neededCount; i++) {
    const value = Number(values[i]);
    if (Number.isNaN(value) && !/^nan$/i.test(values[i]!)) {
      throw new AxialError('NRRD_BAD_HEADER', `ascii value '${values[i]}' is not a number`, { file: path });
    }
    voxels[i] = value;
  }
  return voxels;
}

function swapBytes(bytes: Buffer, width: number): void {
  if (width === 2) bytes.swap16();
  else if (width === 4) bytes.swap32();
  else bytes.swap64();
}

/** Rewrites each 8-byte little-endian integer in place as the nearest double; true if any was inexact. */
function widenInt64(voxels: Float64Array, wide: 'signed' | 'unsigned'): boolean {
  const view = new DataView(voxels.buffer, voxels.byteOffset, voxels.byteLength);
  let inexact = false;
  for (let i = 0; i < voxels.length; i++) {
    const value = wide === 'signed' ? view.getBigInt64(i * 8, true) : view.getBigUint64(i * 8, true);
    voxels[i] = Number(value);
    if (value > 2n ** 53n || value < -(2n ** 53n)) inexact = true;
  }
  return inexact;
}

function takeFirstComponent(all: VoxelArray, components: number, type: NrrdType): VoxelArray {
  const first = type.make(all.length / components);
  for (let i = 0; i < first.length; i++) first[i] = all[i * components]!;
  return first;
}
