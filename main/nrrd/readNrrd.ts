import { constants as bufferConstants } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pipeline } from 'node:stream';
import { createUnzip } from 'node:zlib';
import { AxialError } from '../errors/AxialError.js';
import { createVolume, type Mat3, type Vec3, type Volume, type VoxelArray } from '../volume/Volume.js';

export interface ReadNrrdOptions {
  /** Largest decoded voxel buffer to allocate, in bytes (default 8 GiB). */
  readonly maxBytes?: number;
}

export interface ReadNrrdResult {
  readonly volume: Volume;
  readonly warnings: string[];
}

/** The parsed header with the file's error and warning sinks, passed to every parsing step. */
interface Header {
  readonly path: string;
  /** Field names lower-cased without spaces, so `data file` and `datafile` agree, as in Teem. */
  readonly fields: ReadonlyMap<string, string>;
  readonly warnings: string[];
  readonly fail: (code: 'NRRD_BAD_HEADER' | 'NRRD_UNSUPPORTED', message: string) => never;
}

interface NrrdType {
  readonly bytes: number;
  readonly make: (count: number) => VoxelArray;
  /** 64-bit integers have no typed array that Volume accepts: they are read into a Float64Array. */
  readonly wide?: 'signed' | 'unsigned';
}

interface Shape {
  readonly sizes: readonly number[];
  /** The non-spatial axis of a 4-D file (0 or 3), or null for 3-D. */
  readonly extraAxis: 0 | 3 | null;
  readonly spatialAxes: readonly [number, number, number];
}

interface DataPlan {
  readonly file: string;
  readonly start: number;
  readonly lineSkip: number;
  readonly byteSkip: number;
  readonly encoding: 'raw' | 'gzip' | 'ascii';
  readonly type: NrrdType;
  readonly littleEndian: boolean;
  /** Values the file declares, and how many of the leading ones are read. */
  readonly totalCount: number;
  readonly neededCount: number;
}

type Geometry = Pick<Volume, 'spacing' | 'origin' | 'direction'>;
type Truncated = (detail: string) => AxialError;

const DEFAULT_MAX_BYTES = 8 * 1024 ** 3;
const MAX_HEADER_BYTES = 1024 ** 2;
const MAX_ASCII_BYTES = 256 * 1024 ** 2;
const CHUNK = 64 * 1024;
const RAS_TO_LPS: Vec3 = [-1, -1, 1];
const ENCODINGS: Record<string, DataPlan['encoding']> = {
  raw: 'raw', gzip: 'gzip', gz: 'gzip', ascii: 'ascii', text: 'ascii', txt: 'ascii',
};

const int = (bytes: number, make: NrrdType['make'], wide?: NrrdType['wide']): NrrdType => ({ bytes, make, wide });
const TYPES: readonly (readonly [string, NrrdType])[] = [
  ['signed char|int8|int8_t', int(1, (n) => new Int8Array(n))],
  ['uchar|unsigned char|uint8|uint8_t', int(1, (n) => new Uint8Array(n))],
  ['short|short int|signed short|signed short int|int16|int16_t', int(2, (n) => new Int16Array(n))],
  ['ushort|unsigned short|unsigned short int|uint16|uint16_t', int(2, (n) => new Uint16Array(n))],
  ['int|signed int|int32|int32_t', int(4, (n) => new Int32Array(n))],
  ['uint|unsigned int|uint32|uint32_t', int(4, (n) => new Uint32Array(n))],
  ['longlong|long long|long long int|signed long long|signed long long int|int64|int64_t',
    int(8, (n) => new Float64Array(n), 'signed')],
  ['ulonglong|unsigned long long|unsigned long long int|uint64|uint64_t',
    int(8, (n) => new Float64Array(n), 'unsigned')],
  ['float', int(4, (n) => new Float32Array(n))],
  ['double', int(8, (n) => new Float64Array(n))],
];

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
  const header: Header = {
    path,
    fields: parseFields(text),
    warnings: [],
    fail: (code, message) => {
      throw new AxialError(code, message, { file: path });
    },
  };
  const shape = parseShape(header);
  const geometry = parseGeometry(header, shape);
  const plan = planData(header, shape, dataOffset);
  const units = header.fields.get('spaceunits');
  if (units && !/^("mm"\s*){3}$/.test(units)) header.warnings.push(`space units ${units} are read as mm`);
  if (plan.type.wide) header.warnings.push(`64-bit ${plan.type.wide} integers are read as float64`);
  const voxels = await readVoxels(header, plan, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const [i, j, k] = shape.spatialAxes.map((a) => shape.sizes[a]!);
  const volume = createVolume({
    dimensions: [i!, j!, k!],
    ...geometry,
    voxels: shape.extraAxis === 0 ? takeFirstComponent(voxels, shape.sizes[0]!, plan.type) : voxels,
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

/** `field: value` lines; `key:=value` pairs and comments carry nothing a Volume holds. */
function parseFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/).slice(1)) {
    const match = /^([^#:][^:]*):(=?)(.*)$/.exec(line);
    if (match && match[2] !== '=') fields.set(match[1]!.toLowerCase().replace(/\s+/g, ''), match[3]!.trim());
  }
  return fields;
}

function parseShape(header: Header): Shape {
  const { fields, fail, warnings } = header;
  const dimension = Number(fields.get('dimension') ?? fail('NRRD_BAD_HEADER', "missing 'dimension' field"));
  if (dimension !== 3 && dimension !== 4) fail('NRRD_UNSUPPORTED', `dimension ${dimension}: only 3-D and 4-D are read`);
  const sizes = (fields.get('sizes') ?? fail('NRRD_BAD_HEADER', "missing 'sizes' field")).split(/\s+/).map(Number);
  if (sizes.length !== dimension || !sizes.every((n) => Number.isSafeInteger(n) && n > 0)) {
    fail('NRRD_BAD_HEADER', `sizes '${fields.get('sizes')}' are not ${dimension} positive integers`);
  }
  const extraAxis = dimension === 4 ? findExtraAxis(header) : null;
  if (extraAxis !== null) {
    const kind = fields.get('kinds')?.split(/\s+/)[extraAxis] ?? 'unknown';
    warnings.push(`4-D NRRD: kept the first of ${sizes[extraAxis]} samples along axis ${extraAxis} (kind ${kind})`);
  }
  return { sizes, extraAxis, spatialAxes: extraAxis === 0 ? [1, 2, 3] : [0, 1, 2] };
}

/** The non-spatial axis of a 4-D file: a `none` direction, else a non-domain kind, else a NaN spacing. */
function findExtraAxis({ fields, fail, warnings }: Header): 0 | 3 {
  const directions = fields.get('spacedirections');
  const candidates = directions
    ? splitDirections(directions).flatMap((d, a) => (d === 'none' ? [a] : []))
    : (fields.get('kinds')?.split(/\s+/).flatMap((k, a) => (/^(domain|space)$/i.test(k) ? [] : [a])) ??
      fields.get('spacings')?.split(/\s+/).flatMap((s, a) => (Number.isNaN(Number(s)) ? [a] : [])) ??
      []);
  if (candidates.length === 0 && !directions) {
    warnings.push('4-D NRRD names no non-spatial axis: assuming the last');
    return 3;
  }
  const [axis] = candidates;
  if (candidates.length !== 1 || (axis !== 0 && axis !== 3)) {
    return fail('NRRD_UNSUPPORTED', '4-D NRRD whose non-spatial axis is not the single first or last axis');
  }
  return axis;
}

function splitDirections(text: string): string[] {
  return (text.match(/\([^)]*\)|none/gi) ?? []).map((d) => d.toLowerCase());
}

function parseVector(text: string, { fail }: Header): Vec3 {
  const parts = text.replace(/^\(|\)$/g, '').split(',').map(Number);
  if (parts.length !== 3 || !parts.every(Number.isFinite)) fail('NRRD_BAD_HEADER', `'${text}' is not a 3-vector`);
  return [parts[0]!, parts[1]!, parts[2]!];
}

/** Multiplies by per-coordinate signs; `+ 0` turns the -0 of a flipped zero into 0. */
function flipped(v: Vec3, signs: Vec3): Vec3 {
  return [v[0] * signs[0] + 0, v[1] * signs[1] + 0, v[2] * signs[2] + 0];
}

/** The per-coordinate signs that take the file's space to LPS, or null when it names no space. */
function spaceToLps({ fields, fail, warnings }: Header): Vec3 | null {
  const space = fields.get('space');
  if (space === undefined) {
    const dimension = fields.get('spacedimension');
    if (dimension === undefined) return null;
    if (dimension !== '3') fail('NRRD_UNSUPPORTED', `space dimension ${dimension}`);
    warnings.push('space dimension 3 without a named space: read as right-anterior-superior, as Slicer does');
    return RAS_TO_LPS;
  }
  switch (space.toLowerCase()) {
    case 'right-anterior-superior':
    case 'ras':
      return RAS_TO_LPS;
    case 'left-anterior-superior':
    case 'las':
      return [1, -1, 1];
    case 'left-posterior-superior':
    case 'lps':
      return [1, 1, 1];
    case 'scanner-xyz':
    case '3d-right-handed':
      warnings.push(`space ${space} has no anatomical meaning: read as right-anterior-superior`);
      return RAS_TO_LPS;
    default:
      return fail('NRRD_UNSUPPORTED', `space '${space}'`);
  }
}

function parseGeometry(header: Header, shape: Shape): Geometry {
  const { fields, fail, warnings } = header;
  const signs = spaceToLps(header);
  const originText = fields.get('spaceorigin');
  const directionsText = fields.get('spacedirections');
  if (!directionsText) return axisAlignedGeometry(header, shape, signs);
  if (!signs) return fail('NRRD_BAD_HEADER', "'space directions' without 'space' or 'space dimension'");
  const all = splitDirections(directionsText);
  if (all.length !== shape.sizes.length) fail('NRRD_BAD_HEADER', `space directions has ${all.length} entries`);
  const spacing: number[] = [];
  const direction: Vec3[] = [];
  for (const a of shape.spatialAxes) {
    if (all[a] === 'none') fail('NRRD_UNSUPPORTED', `spatial axis ${a} has no space direction`);
    const v = flipped(parseVector(all[a]!, header), signs);
    const length = Math.hypot(...v);
    if (!(length > 0)) fail('NRRD_BAD_HEADER', `space direction of axis ${a} is zero`);
    spacing.push(length);
    direction.push([v[0] / length, v[1] / length, v[2] / length]);
  }
  if (!originText) warnings.push('no space origin: placed at (0, 0, 0)');
  const origin = originText ? flipped(parseVector(originText, header), signs) : ([0, 0, 0] as const);
  return { spacing: spacing as unknown as Vec3, origin, direction: direction as unknown as Mat3 };
}

/** Without space directions the index axes follow the space's own axes, scaled by `spacings`. */
function axisAlignedGeometry(header: Header, shape: Shape, signs: Vec3 | null): Geometry {
  const { fields, warnings } = header;
  if (!signs) warnings.push('no space directions and no space: axis-aligned, read as right-anterior-superior');
  const s = signs ?? RAS_TO_LPS;
  const spacings = fields.get('spacings')?.split(/\s+/).map(Number) ?? [];
  const spacing = shape.spatialAxes.map((a) => spacings[a] ?? NaN);
  if (!spacing.every((x) => x > 0 && Number.isFinite(x))) {
    warnings.push(`no usable spacings ('${fields.get('spacings') ?? ''}'): 1 mm where missing`);
  }
  const originText = fields.get('spaceorigin');
  return {
    spacing: spacing.map((x) => (x > 0 && Number.isFinite(x) ? x : 1)) as unknown as Vec3,
    origin: originText ? flipped(parseVector(originText, header), s) : [0, 0, 0],
    direction: [[s[0], 0, 0], [0, s[1], 0], [0, 0, s[2]]],
  };
}

function planData(header: Header, shape: Shape, dataOffset: number): DataPlan {
  const { fields, fail, path } = header;
  const typeName = (fields.get('type') ?? fail('NRRD_BAD_HEADER', "missing 'type' field")).toLowerCase();
  const type = TYPES.find(([names]) => names.split('|').includes(typeName.replace(/\s+/g, ' ')))?.[1];
  if (!type) return fail('NRRD_UNSUPPORTED', `type '${typeName}'`);
  const encodingName = (fields.get('encoding') ?? fail('NRRD_BAD_HEADER', "missing 'encoding' field")).toLowerCase();
  const encoding =
    ENCODINGS[encodingName] ?? fail('NRRD_UNSUPPORTED', `encoding '${encodingName}' (raw, gzip, ascii are read)`);
  const endian = fields.get('endian')?.toLowerCase();
  if (endian === undefined && type.bytes > 1 && encoding !== 'ascii') fail('NRRD_BAD_HEADER', "missing 'endian' field");
  if (endian !== undefined && endian !== 'little' && endian !== 'big') fail('NRRD_BAD_HEADER', `endian '${endian}'`);
  const dataFile = fields.get('datafile');
  if (dataFile && (/^LIST(\s|$)/.test(dataFile) || /%.*\s-?\d+\s+-?\d+\s+-?\d+(\s+\d+)?$/.test(dataFile))) {
    fail('NRRD_UNSUPPORTED', `data file '${dataFile}': only a single data file is read`);
  }
  const byteSkip = Number(fields.get('byteskip') ?? 0);
  const lineSkip = Number(fields.get('lineskip') ?? 0);
  if (!Number.isSafeInteger(byteSkip) || byteSkip < -1 || (byteSkip === -1 && encoding !== 'raw')) {
    fail('NRRD_BAD_HEADER', `byte skip '${fields.get('byteskip')}' (-1 is for raw data only)`);
  }
  if (!Number.isSafeInteger(lineSkip) || lineSkip < 0) fail('NRRD_BAD_HEADER', `line skip '${fields.get('lineskip')}'`);
  const totalCount = shape.sizes.reduce((p, n) => p * n, 1);
  const file = dataFile ? resolve(dirname(path), dataFile) : path;
  const start = dataFile ? 0 : dataOffset;
  // A trailing extra axis is outermost, so the first volume is a prefix of the data.
  const neededCount = shape.extraAxis === 3 ? totalCount / shape.sizes[3]! : totalCount;
  return { file, start, lineSkip, byteSkip, encoding, type, littleEndian: endian !== 'big', totalCount, neededCount };
}

async function readVoxels({ path, warnings }: Header, plan: DataPlan, maxBytes: number): Promise<VoxelArray> {
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
