import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { AxialError } from '../errors/AxialError.js';
import { writeFileAtomic } from '../io/writeFileAtomic.js';
import type { Volume, VoxelDataType } from '../volume/Volume.js';
import type { Vec3 } from '../../core/geometry/types.js';
import { escapeNrrdValue } from './escapeNrrdValue.js';

export interface WriteNrrdOptions {
  /** Files the volume was read from: writing over one of them is refused. */
  readonly inputs?: readonly string[];
  /**
   * `key:=value` lines written after the fields (e.g. a 3D Slicer segmentation's `SegmentN_Name`). Keys are
   * letters, digits and underscores; values are escaped as Teem escapes them (`\\` and `\n`, see
   * {@link escapeNrrdValue}), so a value cannot add a field and Teem, ITK and Slicer read it back as it was.
   */
  readonly keyValues?: readonly (readonly [string, string])[];
  /**
   * More volumes of `volume`'s type on its grid (a 3D Slicer segmentation's layers): written as a 4-D file whose
   * first, `list` axis holds `volume.voxels` then these, interleaved per voxel.
   */
  readonly moreSamples?: readonly Volume['voxels'][];
}

const gzipAsync = promisify(gzip);

/** Teem's canonical type names, which every NRRD reader knows. */
const NRRD_TYPE: Record<VoxelDataType, string> = {
  int8: 'signed char',
  uint8: 'unsigned char',
  int16: 'short',
  uint16: 'unsigned short',
  int32: 'int',
  uint32: 'unsigned int',
  float32: 'float',
  float64: 'double',
};

/**
 * Writes the volume as a NRRD0004 file with an attached header and gzip data
 * (what Slicer writes by default), in `left-posterior-superior` space so the
 * geometry is stored exactly as the Volume holds it, followed by any `keyValues`. The file is replaced
 * atomically. The header is attached whatever the extension.
 * @throws AxialError OUTPUT_IS_INPUT when `path` is one of `options.inputs`;
 *   OUTPUT_WRITE_FAILED when compression or the write fails.
 */
export async function writeNrrd(volume: Volume, path: string, options: WriteNrrdOptions = {}): Promise<void> {
  // UTF-8, as Slicer writes its segment names; the fields themselves are ASCII, so they are unchanged by it.
  const more = options.moreSamples ?? [];
  const header = Buffer.from(nrrdHeader(volume, options.keyValues ?? [], 1 + more.length), 'utf8');
  const voxels = more.length > 0 ? interleave([volume.voxels, ...more]) : volume.voxels;
  let data: Buffer;
  try {
    // Typed arrays hold the host's byte order, little-endian wherever Node runs, hence `endian: little`.
    data = await gzipAsync(new Uint8Array(voxels.buffer, voxels.byteOffset, voxels.byteLength));
  } catch (error) {
    throw new AxialError('OUTPUT_WRITE_FAILED', `cannot compress voxels: ${(error as Error).message}`, {
      file: path,
      cause: error,
    });
  }
  await writeFileAtomic(path, [header, data], options.inputs);
}

/** The header text, ending in the blank line that separates it from the data. */
function nrrdHeader(volume: Volume, keyValues: readonly (readonly [string, string])[], samples: number): string {
  const { dimensions, spacing, direction, origin } = volume;
  // String(n) is the shortest text that parses back to the same double, so the geometry round-trips exactly.
  const vector = (v: Vec3): string => `(${v.map((x) => String(x)).join(',')})`;
  const scaled = direction.map((axis, a) => vector(axis.map((x) => x * spacing[a]!) as unknown as Vec3));
  return [
    'NRRD0004',
    '# Complete NRRD file format specification at:',
    '# http://teem.sourceforge.net/nrrd/format.html',
    `type: ${NRRD_TYPE[volume.dataType]}`,
    `dimension: ${samples > 1 ? 4 : 3}`,
    'space: left-posterior-superior',
    `sizes: ${samples > 1 ? `${samples} ` : ''}${dimensions.join(' ')}`,
    `space directions: ${samples > 1 ? 'none ' : ''}${scaled.join(' ')}`,
    `kinds: ${samples > 1 ? 'list ' : ''}domain domain domain`,
    'endian: little',
    'encoding: gzip',
    `space origin: ${vector(origin)}`,
    ...keyValues.filter(([key]) => /^\w+$/.test(key)).map(([key, value]) => `${key}:=${escapeNrrdValue(value)}`),
    '',
    '',
  ].join('\n');
}

/** One array holding `samples` interleaved per voxel (sample fastest), in the first one's type. */
function interleave(samples: readonly Volume['voxels'][]): Volume['voxels'] {
  const first = samples[0]!;
  const count = samples.length;
  const out = new (first.constructor as new (length: number) => Volume['voxels'])(first.length * count);
  samples.forEach((sample, c) => {
    if (sample.length !== first.length) throw new AxialError('OUTPUT_WRITE_FAILED', `sample ${c} has ${sample.length} voxels, not ${first.length}`);
    for (let v = 0; v < first.length; v++) out[v * count + c] = sample[v]!;
  });
  return out;
}
