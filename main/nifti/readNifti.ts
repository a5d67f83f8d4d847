import { stat } from 'node:fs/promises';
import { AxialError } from '../errors/AxialError.js';
import { InflateError, inflateInto } from '../io/inflateInto.js';
import { readFileRegion } from '../io/readFileRegion.js';
import { createVolume, type Volume, type WindowPreset } from '../volume/Volume.js';
import { rasAffineToGeometry } from '../volume/volumeTransforms.js';
import { rescaleToSmallestType } from '../volume/rescaleToSmallestType.js';
import { niftiHeaderBytes, readNiftiHeader, type CheckedNiftiHeader } from './readNiftiHeader.js';
import { selectNiftiAffine } from './selectNiftiAffine.js';

export interface ReadNiftiOptions {
  /** Which 3D volume of a 4D file (0-based); the first by default. */
  readonly volumeIndex?: number;
  /** Refuse before allocating when the voxel bytes would exceed this. Default 8 GiB. */
  readonly maxBytes?: number;
}

export interface ReadNiftiResult {
  readonly volume: Volume;
  readonly warnings: string[];
  /** Number of 3D volumes in the file. */
  readonly volumeCount: number;
  readonly affineSource: 'sform' | 'qform' | 'pixdim';
}

const defaultMaxBytes = 8 * 1024 ** 3;

/**
 * Reads a `.nii` or `.nii.gz` (NIfTI-1 or NIfTI-2) into an LPS Volume, with
 * scl_slope/scl_inter applied and the transform chosen as nibabel does.
 * @throws AxialError NIFTI_* codes for bad files, VOLUME_TOO_LARGE before allocating too much, INPUT_UNREADABLE on I/O errors.
 */
export async function readNifti(path: string, options: ReadNiftiOptions = {}): Promise<ReadNiftiResult> {
  const volumeIndex = options.volumeIndex ?? 0;
  const maxBytes = options.maxBytes ?? defaultMaxBytes;
  const { checked, headerBytes, data } = await readRawVolume(path, volumeIndex, maxBytes);
  const { header } = checked;
  const warnings: string[] = [];
  if (checked.volumeCount > 1) {
    warnings.push(`4D file with ${checked.volumeCount} volumes; read volume ${volumeIndex}`);
  }
  const stored = checked.dataType.view(data.buffer as ArrayBuffer, data.byteOffset, data.length / checked.dataType.bytes);
  const slope = header.scl_slope;
  const scaled = Number.isFinite(slope) && slope !== 0;
  const voxels = scaled
    ? rescaleToSmallestType(stored, [{ slope, intercept: Number.isFinite(header.scl_inter) ? header.scl_inter : 0, length: stored.length }])
    : stored;
  const selected = selectNiftiAffine(checked, headerBytes);
  warnings.push(...selected.warnings);
  const volume = createVolume({
    dimensions: checked.dimensions,
    ...rasAffineToGeometry(selected.affine),
    voxels,
    metadata: {
      format: 'nifti',
      seriesDescription: header.description.trim() || undefined,
      windowPresets: calibrationWindow(header.cal_min, header.cal_max),
      fileCount: 1,
    },
  });
  return { volume, warnings, volumeCount: checked.volumeCount, affineSource: selected.source };
}

interface RawVolume {
  readonly checked: CheckedNiftiHeader;
  readonly headerBytes: Uint8Array;
  /** The chosen volume's bytes, aligned for its type and in native (little-endian) order. */
  readonly data: Uint8Array;
}

async function readRawVolume(path: string, volumeIndex: number, maxBytes: number): Promise<RawVolume> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new AxialError('INPUT_UNREADABLE', `cannot read: ${(error as Error).message}`, { file: path, cause: error });
  }
  const start = await readFileRegion(path, 0, Math.min(size, niftiHeaderBytes));
  const gzipped = start[0] === 0x1f && start[1] === 0x8b;
  let checked: CheckedNiftiHeader | undefined;
  const wantedBytes = (header: Uint8Array): number => {
    checked = readNiftiHeader(header, path);
    checkVolumeIndex(checked, volumeIndex, path);
    if (checked.bytesPerVolume > maxBytes) {
      throw new AxialError('VOLUME_TOO_LARGE', `${checked.dimensions.join('×')} ${checked.dataType.name} needs ${checked.bytesPerVolume} bytes, over the limit of ${maxBytes}`, { file: path });
    }
    return checked.header.vox_offset + (volumeIndex + 1) * checked.bytesPerVolume;
  };
  let whole: Uint8Array;
  let dataStart: number;
  if (gzipped) {
    try {
      whole = (await inflateInto({ path, headerBytes: niftiHeaderBytes, sizeFromHeader: wantedBytes })).bytes;
    } catch (error) {
      if (!(error instanceof InflateError)) throw error;
      if (error.reason === 'corrupt') throw new AxialError('NIFTI_CORRUPT_COMPRESSION', `gzip stream is corrupt: ${error.message}`, { file: path });
      if (!checked) throw new AxialError('NIFTI_TRUNCATED', 'file ends inside the header', { file: path });
      throw new AxialError('NIFTI_TRUNCATED', `file ends before its voxel data does (${error.message})`, { file: path });
    }
    dataStart = checked!.header.vox_offset + volumeIndex * checked!.bytesPerVolume;
  } else {
    const needed = wantedBytes(start);
    if (needed > size) {
      throw new AxialError('NIFTI_TRUNCATED', `header needs ${needed} bytes, file has ${size}`, { file: path });
    }
    dataStart = checked!.header.vox_offset + volumeIndex * checked!.bytesPerVolume;
    whole = await readFileRegion(path, dataStart, checked!.bytesPerVolume);
    dataStart = 0;
  }
  const c = checked!;
  let data = whole.subarray(dataStart, dataStart + c.bytesPerVolume);
  if (data.byteOffset % c.dataType.bytes !== 0) data = data.slice();
  if (!c.header.littleEndian && c.dataType.bytes > 1) swapInPlace(data, c.dataType.bytes);
  return { checked: c, headerBytes: gzipped ? whole.subarray(0, niftiHeaderBytes) : start, data };
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

function calibrationWindow(calMin: number, calMax: number): WindowPreset[] {
  if (!(Number.isFinite(calMin) && Number.isFinite(calMax) && calMax > calMin)) return [];
  return [{ center: (calMin + calMax) / 2, width: calMax - calMin, name: 'cal_min/cal_max' }];
}

