import { constants as bufferConstants } from 'node:buffer';
import { stat } from 'node:fs/promises';
import { AxialError, isAxialError } from '../errors/AxialError.js';
import { allocateVoxels } from '../io/allocateVoxels.js';
import { InflateError, inflateInto } from '../io/inflateInto.js';
import { readFileRegion } from '../io/readFileRegion.js';
import { createVolume, type NiftiTransforms, type Volume, type VoxelArray, type WindowPreset } from '../volume/Volume.js';
import { rasAffineToGeometry } from '../volume/volumeTransforms.js';
import { rescaleToSmallestType } from '../volume/rescaleToSmallestType.js';
import { niftiHeaderBytes, readNiftiHeader, type CheckedNiftiHeader, type NiftiHeader } from './readNiftiHeader.js';
import { selectNiftiAffine, type SelectedNiftiAffine } from './selectNiftiAffine.js';

export interface ReadNiftiOptions {
  /** Which 3D volume of a 4D file (0-based); the first by default. */
  readonly volumeIndex?: number;
  /**
   * How many volumes from `volumeIndex` on to read in the same pass (1 by default): a .nii.gz is inflated once for
   * them all, not once per volume from its start. The first is `volume`; the others' voxels are `following`.
   */
  readonly volumes?: number;
  /** Refuse before allocating when the voxel bytes would exceed this. Default 8 GiB. */
  readonly maxBytes?: number;
}

export interface ReadNiftiResult {
  readonly volume: Volume;
  readonly warnings: string[];
  /** Number of 3D volumes in the file. */
  readonly volumeCount: number;
  /** The voxels of the volumes after the first that `volumes` asked for, in order (scaled as the first). */
  readonly following: VoxelArray[];
  readonly affineSource: 'sform' | 'qform' | 'pixdim';
}

const defaultMaxBytes = 8 * 1024 ** 3;

/**
 * Reads a `.nii` or `.nii.gz` (NIfTI-1 or NIfTI-2) into an LPS Volume, with
 * scl_slope/scl_inter applied and the transform chosen as nibabel does.
 * Every size the header claims is checked before allocating: against `maxBytes` and the platform's largest
 * typed array, against the file's length (.nii), and against the most its gzip stream could hold (.nii.gz,
 * whose inflation stops once the chosen volume is in).
 * @throws AxialError NIFTI_* codes for bad files (NIFTI_TRUNCATED naming the claim and the bytes there are),
 *   VOLUME_TOO_LARGE before allocating too much, INPUT_NOT_FOUND, INPUT_NOT_A_FILE (a FIFO, device or folder)
 *   and INPUT_UNREADABLE on I/O errors.
 */
export async function readNifti(path: string, options: ReadNiftiOptions = {}): Promise<ReadNiftiResult> {
  const volumeIndex = options.volumeIndex ?? 0;
  const maxBytes = options.maxBytes ?? defaultMaxBytes;
  const count = options.volumes ?? 1;
  const { checked, headerBytes, data } = await readRawVolume(path, { index: volumeIndex, count }, maxBytes);
  const { header } = checked;
  const warnings: string[] = [];
  if (checked.volumeCount > 1) {
    warnings.push(`4D file with ${checked.volumeCount} volumes; read volume ${volumeIndex}`);
  }
  const slope = header.scl_slope;
  const scaled = Number.isFinite(slope) && slope !== 0;
  const perVolume = checked.bytesPerVolume;
  const all = Array.from({ length: count }, (_, v): VoxelArray => {
    const stored = checked.dataType.view(data.buffer as ArrayBuffer, data.byteOffset + v * perVolume, perVolume / checked.dataType.bytes);
    return scaled
      ? rescaleToSmallestType(stored, [{ slope, intercept: Number.isFinite(header.scl_inter) ? header.scl_inter : 0, length: stored.length }])
      : stored;
  });
  const voxels = all[0]!;
  const selected = selectNiftiAffine(checked, headerBytes, path);
  warnings.push(...selected.warnings);
  const volume = createVolume(
    {
      dimensions: checked.dimensions,
      ...rasAffineToGeometry(selected.affine),
      voxels,
      metadata: {
        format: 'nifti',
        seriesDescription: header.description.trim() || undefined,
        windowPresets: calibrationWindow(header.cal_min, header.cal_max),
        fileCount: 1,
        niftiTransforms: sourceTransforms(header, selected),
      },
    },
    path,
  );
  return { volume, warnings, volumeCount: checked.volumeCount, affineSource: selected.source, following: all.slice(1) };
}

interface RawVolume {
  readonly checked: CheckedNiftiHeader;
  readonly headerBytes: Uint8Array;
  /** The chosen volumes' bytes, in their own buffer (so aligned for any type) and in native (little-endian) order. */
  readonly data: Uint8Array;
}

/** Which bytes of the (decompressed) file hold the chosen volume. */
interface VolumeRange {
  readonly offset: number;
  readonly size: number;
}

/** Which volumes: `count` of them from `index` on. */
interface VolumeSpan {
  readonly index: number;
  readonly count: number;
}

async function readRawVolume(path: string, volumeIndex: VolumeSpan, maxBytes: number): Promise<RawVolume> {
  const fileSize = await sizeOf(path);
  const start = await readRegion(path, 0, Math.min(fileSize, niftiHeaderBytes));
  const gzipped = start[0] === 0x1f && start[1] === 0x8b;
  const read = gzipped ? await inflateVolume(path, volumeIndex, maxBytes) : await readPlainVolume(path, start, fileSize, volumeIndex, maxBytes);
  const { checked, data } = read;
  if (!checked.header.littleEndian && checked.dataType.bytes > 1) swapInPlace(data, checked.dataType.bytes);
  return read;
}

async function readPlainVolume(path: string, start: Uint8Array, fileSize: number, volumeIndex: VolumeSpan, maxBytes: number): Promise<RawVolume> {
  const checked = readNiftiHeader(start, path);
  const { offset, size } = volumeRange(checked, volumeIndex, maxBytes, path);
  if (offset + size > fileSize) {
    throw new AxialError('NIFTI_TRUNCATED', `header puts ${size} bytes of voxels at byte ${offset}; the file has ${fileSize} bytes`, { file: path });
  }
  const data = await readRegion(
    path,
    offset,
    size,
    allocateVoxels(() => new Uint8Array(size), size, path),
  );
  if (data.length < size) throw new AxialError('NIFTI_TRUNCATED', `file ends ${data.length} bytes into its ${size}-byte volume`, { file: path });
  return { checked, headerBytes: start, data };
}

async function inflateVolume(path: string, volumeIndex: VolumeSpan, maxBytes: number): Promise<RawVolume> {
  let checked: CheckedNiftiHeader | undefined;
  const rangeFromHeader = (header: Uint8Array): VolumeRange => {
    checked = readNiftiHeader(header, path);
    return volumeRange(checked, volumeIndex, maxBytes, path);
  };
  try {
    const allocate = (size: number): Uint8Array => allocateVoxels(() => new Uint8Array(size), size, path);
    const { bytes, header } = await inflateInto({ path, headerBytes: niftiHeaderBytes, rangeFromHeader, allocate });
    return { checked: checked!, headerBytes: header, data: bytes };
  } catch (error) {
    if (!(error instanceof InflateError)) throw error;
    if (error.reason === 'corrupt') throw new AxialError('NIFTI_CORRUPT_COMPRESSION', `gzip stream is corrupt: ${error.message}`, { file: path });
    if (error.reason === 'unreadable') throw new AxialError('INPUT_UNREADABLE', error.message, { file: path, cause: error });
    if (!checked) throw new AxialError('NIFTI_TRUNCATED', `file ends inside the header (${error.message})`, { file: path });
    throw new AxialError('NIFTI_TRUNCATED', `header puts voxel data at byte ${checked.header.vox_offset}: ${error.message}`, { file: path });
  }
}

/**
 * Where the chosen volume lies, refused before anything is allocated when it is larger than the caller allows or
 * than this platform's typed arrays can be (4 GiB on Node 20).
 */
function volumeRange(checked: CheckedNiftiHeader, span: VolumeSpan, maxBytes: number, file: string): VolumeRange {
  checkVolumeIndex(checked, span.index, file);
  if (span.count > 1) checkVolumeIndex(checked, span.index + span.count - 1, file);
  const volumeIndex = span.index;
  const size = checked.bytesPerVolume * span.count;
  const volumes = span.count > 1 ? `${span.count} volumes of ` : '';
  const claim = `${volumes}${checked.dimensions.join('×')} ${checked.dataType.name} needs ${size} bytes`;
  if (size > maxBytes) {
    throw new AxialError('VOLUME_TOO_LARGE', `${claim}, over the limit of ${maxBytes}`, { file });
  }
  if (size > bufferConstants.MAX_LENGTH) {
    throw new AxialError('VOLUME_TOO_LARGE', `${claim}, over this platform's largest array of ${bufferConstants.MAX_LENGTH}`, { file });
  }
  const offset = checked.header.vox_offset + volumeIndex * checked.bytesPerVolume;
  if (!Number.isSafeInteger(offset + size)) {
    throw new AxialError('NIFTI_BAD_HEADER', `volume ${volumeIndex} of ${size} bytes at vox_offset ${checked.header.vox_offset} lies past any file`, { file });
  }
  return { offset, size };
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE';
    throw new AxialError(code, `cannot read: ${(error as Error).message}`, { file: path, cause: error });
  }
}

/** readFileRegion with its errno errors coded; a FIFO or device is refused there as INPUT_NOT_A_FILE. */
async function readRegion(path: string, position: number, length: number, target?: Uint8Array): Promise<Uint8Array> {
  try {
    return await readFileRegion(path, position, length, target);
  } catch (error) {
    if (isAxialError(error)) throw error;
    throw new AxialError('INPUT_UNREADABLE', `cannot read: ${(error as Error).message}`, { file: path, cause: error });
  }
}

function checkVolumeIndex(checked: CheckedNiftiHeader, volumeIndex: number, file: string): void {
  if (!Number.isInteger(volumeIndex) || volumeIndex < 0 || volumeIndex >= checked.volumeCount) {
    throw new AxialError('NIFTI_VOLUME_OUT_OF_RANGE', `volume ${volumeIndex} asked for; the file has ${checked.volumeCount}`, { file });
  }
}

function swapInPlace(bytes: Uint8Array, width: number): void {
  for (let i = 0; i < bytes.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

/**
 * The header's qform and codes (in mm), for writeNifti to carry onto outputs on this grid; none when the volume was
 * placed by pixdim alone or the qform's fields cannot be written back as they are (a non-finite value, a pixdim ≤ 0).
 */
function sourceTransforms(header: NiftiHeader, selected: SelectedNiftiAffine): NiftiTransforms | undefined {
  const mm = selected.mmPerUnit;
  const pixdim = [1, 2, 3].map((k) => (header.pixDims[k] ?? NaN) * mm) as unknown as NiftiTransforms['pixdim'];
  const quaternion = [header.quatern_b, header.quatern_c, header.quatern_d];
  const offset = [header.qoffset_x, header.qoffset_y, header.qoffset_z].map((v) => v * mm);
  if (selected.source === 'pixdim' || ![...quaternion, ...offset].every(Number.isFinite) || !pixdim.every((v) => v > 0 && Number.isFinite(v))) return undefined;
  return {
    affine: selected.affine,
    qform_code: header.qform_code,
    sform_code: header.sform_code,
    quatern_b: quaternion[0]!,
    quatern_c: quaternion[1]!,
    quatern_d: quaternion[2]!,
    qoffset_x: offset[0]!,
    qoffset_y: offset[1]!,
    qoffset_z: offset[2]!,
    qfac: header.pixDims[0] === -1 ? -1 : 1,
    pixdim,
  };
}

function calibrationWindow(calMin: number, calMax: number): WindowPreset[] {
  if (!(Number.isFinite(calMin) && Number.isFinite(calMax) && calMax > calMin)) return [];
  return [{ center: (calMin + calMax) / 2, width: calMax - calMin, name: 'cal_min/cal_max' }];
}
