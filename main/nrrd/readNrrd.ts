import { constants as bufferConstants } from 'node:buffer';
import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { AxialError } from '../errors/AxialError.js';
import { allocateVoxels } from '../io/allocateVoxels.js';
import { InflateError, inflateInto } from '../io/inflateInto.js';
import { createVolume, type Volume, type VoxelArray } from '../volume/Volume.js';
import { openNrrdFile } from './openNrrdFile.js';
import { parseNrrdHeader, type NrrdHeader, type NrrdType } from './parseNrrdHeader.js';
import { readNrrdAscii } from './readNrrdAscii.js';
import { readNrrdHeaderText } from './readNrrdHeaderText.js';
import { resolveNrrdDataFiles } from './resolveNrrdDataFiles.js';

export interface ReadNrrdOptions {
  /** Largest decoded voxel buffer to allocate, in bytes (default 8 GiB). */
  readonly maxBytes?: number;
  /**
   * For a 4-D file whose non-spatial axis is the first (a 3D Slicer segmentation's layers): return up to this many
   * samples along it in `samples`, not only the first, without the warning that the others were left; when the file
   * holds more, a warning naming it says how many were read. Only that many copies are made, whatever the header
   * claims.
   */
  readonly samples?: number;
}

export interface ReadNrrdResult {
  readonly volume: Volume;
  readonly warnings: string[];
  /** With `samples`, a 4-D file's samples along its first axis as volumes on `volume`'s grid (the first is `volume.voxels`). */
  readonly samples?: readonly VoxelArray[];
}

/** Where the voxels lie and how they are stored. */
interface NrrdDataPlan {
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
const CHUNK = 64 * 1024;
/** How many names of a LIST or range data file are checked for confinement before the form is refused. */
const namesCheckedInList = 16;

/**
 * Reads a 3-D NRRD (attached or detached header; raw, gzip or ascii data) into an LPS Volume.
 * A 4-D file whose first or last axis is non-spatial yields its first volume, with a warning.
 * What the header claims is checked against the bytes before allocating: raw data against the file's length, a
 * gzip stream against the most it could hold (and inflated only up to the voxels needed). A detached data file
 * must lie, after symlinks, inside the header's folder, and be a regular file.
 * @throws AxialError INPUT_NOT_FOUND or INPUT_UNREADABLE when the header or data file cannot be opened;
 *   INPUT_NOT_A_FILE for a FIFO, device or folder; INPUT_PATH_OUTSIDE_FOLDER for a data file outside the
 *   header's folder; NRRD_BAD_MAGIC; NRRD_BAD_HEADER; NRRD_UNSUPPORTED (naming the encoding, type, space,
 *   dimension or data file list, or a 2-D colour image); VOLUME_TOO_LARGE, before allocating, past `maxBytes` or the platform's largest
 *   array; NRRD_TRUNCATED when the data is short; NRRD_CORRUPT_COMPRESSION for a damaged gzip stream;
 *   VOLUME_INVALID for degenerate geometry.
 */
export async function readNrrd(path: string, options: ReadNrrdOptions = {}): Promise<ReadNrrdResult> {
  const { text, dataOffset } = await readNrrdHeaderText(path);
  const header = parseNrrdHeader(text, path);
  const { form, names } = header.dataFiles;
  // Confined before anything else, so a LIST naming /etc/passwd is refused as that, not as unsupported; a list is never
  // read, so only its first names are resolved (65536 of them took 19 s).
  const [dataFile] = await resolveNrrdDataFiles(path, names.slice(0, namesCheckedInList));
  if (form === 'list' || form === 'range') {
    const message = `data file ${form === 'list' ? 'LIST' : 'range'} names ${names.length} file(s): only a single data file is read`;
    throw new AxialError('NRRD_UNSUPPORTED', message, { file: path });
  }
  const plan = planData(header, dataFile ?? path, dataOffset);
  const voxels = await readVoxels(path, header.warnings, plan, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const [i, j, k] = header.spatialAxes.map((a) => header.sizes[a]!);
  const layered = options.samples !== undefined && header.extraAxis === 0;
  const count = layered ? Math.max(1, Math.min(header.sizes[0]!, options.samples!)) : 1;
  const samples = header.extraAxis === 0 ? takeComponents(voxels, header.sizes[0]!, plan.type, count) : [voxels];
  const volume = createVolume(
    {
      dimensions: [i!, j!, k!],
      ...header.geometry,
      voxels: samples[0]!,
      metadata: { format: 'nrrd', windowPresets: [], fileCount: dataFile ? 2 : 1 },
    },
    path,
  );
  if (!layered) return { volume, warnings: header.warnings };
  const warnings = header.warnings.filter((w) => !w.startsWith('4-D NRRD: kept the first'));
  if (count < header.sizes[0]!) warnings.push(`${basename(path)} has ${header.sizes[0]} layers; the first ${count} were read`);
  return { volume, warnings, samples };
}

/** @param file The data file: the resolved detached one, or the header itself. */
function planData(header: NrrdHeader, file: string, dataOffset: number): NrrdDataPlan {
  const { sizes, extraAxis, lineSkip, byteSkip, encoding, type, littleEndian } = header;
  const totalCount = sizes.reduce((p, n) => p * n, 1);
  const start = header.dataFiles.form === 'attached' ? dataOffset : 0;
  // A trailing extra axis is outermost, so the first volume is a prefix of the data.
  const neededCount = extraAxis === 3 ? totalCount / sizes[3]! : totalCount;
  return { file, start, lineSkip, byteSkip, encoding, type, littleEndian, totalCount, neededCount };
}

async function readVoxels(path: string, warnings: string[], plan: NrrdDataPlan, maxBytes: number): Promise<VoxelArray> {
  const bytes = plan.neededCount * plan.type.bytes;
  const limit = Math.min(maxBytes, bufferConstants.MAX_LENGTH);
  if (bytes > limit) {
    const message = `${plan.neededCount} voxels of ${plan.type.bytes} bytes need ${bytes} bytes, over the ${limit}-byte limit`;
    throw new AxialError('VOLUME_TOO_LARGE', message, { file: path });
  }
  const truncated: Truncated = (detail) => new AxialError('NRRD_TRUNCATED', `data ends early: ${detail}`, { file: path });
  const handle = await openNrrdFile(plan.file, path);
  let voxels: VoxelArray;
  try {
    const start = await skipLines(handle, plan.start, plan.lineSkip, truncated);
    // As in Teem, byte skip counts bytes after the skipped lines, before the first value, for ascii as for raw.
    if (plan.encoding === 'ascii') {
      return await readNrrdAscii({ handle, start: start + plan.byteSkip, count: plan.neededCount, type: plan.type, path, truncated });
    }
    voxels = plan.encoding === 'raw' ? await readRaw(handle, start, plan, path, truncated) : await inflateVoxels(plan, start, path, truncated);
  } finally {
    await handle.close();
  }
  // Typed arrays use the host's byte order, little-endian on every platform Node ships for.
  if (!plan.littleEndian && plan.type.bytes > 1) swapBytes(Buffer.from(voxels.buffer, 0, bytes), plan.type.bytes);
  if (plan.type.wide && widenInt64(voxels as Float64Array, plan.type.wide)) {
    warnings.push('some 64-bit integers lie beyond 2^53 and lost precision');
  }
  return voxels;
}

/** Checks the declared bytes against the file's length before allocating, then reads the needed prefix. */
async function readRaw(handle: FileHandle, start: number, plan: NrrdDataPlan, path: string, truncated: Truncated): Promise<VoxelArray> {
  const fileSize = (await handle.stat()).size;
  const totalBytes = plan.totalCount * plan.type.bytes;
  const offset = plan.byteSkip === -1 ? fileSize - totalBytes : start + plan.byteSkip;
  if (offset < start || fileSize - offset < totalBytes) {
    throw truncated(`${totalBytes} bytes declared, ${Math.max(0, fileSize - Math.max(offset, start))} present`);
  }
  const voxels = allocateVoxels(() => plan.type.make(plan.neededCount), plan.neededCount * plan.type.bytes, path);
  await readExactly(handle, new Uint8Array(voxels.buffer, 0, plan.neededCount * plan.type.bytes), offset, truncated);
  return voxels;
}

/** Offset just past the `count`-th newline from `start`. */
async function skipLines(handle: FileHandle, start: number, count: number, truncated: Truncated): Promise<number> {
  let position = start;
  const chunk = Buffer.alloc(CHUNK);
  for (let left = count; left > 0;) {
    const { bytesRead } = await handle.read(chunk, 0, CHUNK, position);
    if (bytesRead === 0) throw truncated(`fewer than ${count} lines to skip`);
    for (let i = 0; i < bytesRead && left > 0; i++, position++) if (chunk[i] === 0x0a) left--;
  }
  return position;
}

async function readExactly(handle: FileHandle, target: Uint8Array, offset: number, truncated: Truncated) {
  for (let filled = 0; filled < target.length;) {
    const length = Math.min(target.length - filled, 1 << 30);
    const { bytesRead } = await handle.read(target, filled, length, offset + filled);
    if (bytesRead === 0) throw truncated(`${filled} of ${target.length} bytes read`);
    filled += bytesRead;
  }
}

/**
 * Inflates only the voxels needed, straight into the voxel array; `byte skip` counts decompressed bytes, as in
 * Teem. A claim the stream cannot hold is refused before allocating, and the rest of a longer stream is never
 * inflated.
 */
async function inflateVoxels(plan: NrrdDataPlan, start: number, path: string, truncated: Truncated): Promise<VoxelArray> {
  let voxels: VoxelArray | undefined;
  try {
    await inflateInto({
      path: plan.file,
      start,
      headerBytes: 0,
      rangeFromHeader: () => ({ offset: plan.byteSkip, size: plan.neededCount * plan.type.bytes }),
      allocate: (size) => {
        voxels = allocateVoxels(() => plan.type.make(plan.neededCount), size, path);
        return new Uint8Array(voxels.buffer, 0, size);
      },
    });
  } catch (error) {
    if (!(error instanceof InflateError)) throw error;
    if (error.reason === 'short') throw truncated(error.message);
    const [code, what] =
      error.reason === 'corrupt'
        ? (['NRRD_CORRUPT_COMPRESSION', 'gzip data is corrupt'] as const)
        : (['INPUT_UNREADABLE', `cannot read data file ${plan.file}`] as const);
    throw new AxialError(code, `${what}: ${error.message}`, { file: path, cause: error });
  }
  return voxels!;
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

/** The first `count` of `components` interleaved samples, each as its own array. */
function takeComponents(all: VoxelArray, components: number, type: NrrdType, count: number): VoxelArray[] {
  return Array.from({ length: count }, (_, c) => {
    const one = type.make(all.length / components);
    for (let i = 0; i < one.length; i++) one[i] = all[i * components + c]!;
    return one;
  });
}
