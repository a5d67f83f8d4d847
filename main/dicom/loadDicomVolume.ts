import { constants as bufferConstants } from 'node:buffer';
import { AxialError } from '../errors/AxialError.js';
import { allocateVoxels } from '../io/allocateVoxels.js';
import { createVolume, type Volume, type VoxelArray } from '../volume/Volume.js';
import { integerTypeForRange, mappedRange, rescaleToSmallestType, type IntegerArrayConstructor, type RescaleRun } from '../volume/rescaleToSmallestType.js';
import { applyModalityLuts } from './applyModalityLuts.js';
import type { DicomSeries } from './DicomSeries.js';
import type { FrameDecodePool } from './FrameDecodePool.js';
import type { PixelFormat } from './PixelFormat.js';
import { isNative16Series, readNative16Slices } from './readNative16Slices.js';

export interface LoadDicomOptions {
  /** Refuse before allocating when the stored voxels would exceed this. Default 8 GiB. */
  readonly maxBytes?: number;
  /**
   * Decodes compressed frames in parallel (main/decode/createDecodePool), up to 2 × its threads at
   * once. Without it, and for uncompressed files always, frames decode here one after another.
   */
  readonly decodePool?: FrameDecodePool;
  /** Hears how many of the series' files have been decoded so far (in file order). */
  readonly onFilesDecoded?: (done: number) => void;
}

const defaultMaxBytes = 8 * 1024 ** 3;

/**
 * Decodes a scanned series into a Volume of real values (rescale, or a file's Modality LUT,
 * applied per slice, smallest exact type). Each file is read and parsed once, the next
 * one read while this one decodes; peak memory is the volume plus a file.
 * A compressed series' volume is allocated once the first frame has decoded, so a frame whose
 * header lies is refused before a volume is made for it; an uncompressed one's sizes were checked
 * against each file by the scan, and its slices are read straight into the volume.
 * @throws AxialError VOLUME_TOO_LARGE before allocating, when the voxels would pass maxBytes or
 *   the platform's largest typed array; the decoder's DICOM_* errors naming the file.
 */
export async function loadDicomVolume(series: DicomSeries, options: LoadDicomOptions = {}): Promise<Volume> {
  const first = series.slices[0]!.instance;
  // The middle slice's window: a series' edge slices (an MPRAGE's first, mostly outside the head) carry a window unlike the rest.
  const middle = series.slices[Math.floor(series.slices.length / 2)]!.instance;
  const format = first.pixelFormat;
  const sliceLength = format.rows * format.columns;
  const total = sliceLength * series.slices.length;
  assertAllocatable(series, total, options.maxBytes ?? defaultMaxBytes);
  const runs = series.slices.map((s) => ({ slope: s.geometry.slope, intercept: s.geometry.intercept, length: sliceLength }));
  // When every slice's rescale of what BitsStored can hold fits an integer type no wider than the
  // stored one (most CT: 12 bits + intercept -1024 -> int16), real values are written while
  // decoding, in one pass; otherwise stored values are collected and rescaled after.
  // The widest BitsStored of the series' slices: one 16-bit slice among 12-bit ones must not wrap the type chosen.
  const bitsStored = Math.max(...series.slices.map((s) => s.instance.pixelFormat.bitsStored));
  // A Modality LUT is no linear map: its slices' stored values are collected and looked up after.
  const luts = series.slices.map((slice) => slice.instance.modalityLut);
  const anyLut = luts.some((lut) => lut !== undefined);
  // Signed slices among unsigned ones (dcm2niix keeps them one series): stored values of both kinds must fit, so
  // the type is chosen over both ranges and the slices are decoded each by its own PixelRepresentation.
  const signedness = new Set(series.slices.map((s) => s.instance.pixelFormat.pixelRepresentation));
  const mixedSign = signedness.size > 1;
  const Direct = anyLut ? undefined : directIntegerType({ ...format, bitsStored }, runs, mixedSign);
  const allocate = (): VoxelArray =>
    allocateVoxels(
      () => (Direct ? new Direct(total) : allocateStored(format, total, first.file, mixedSign)),
      (total * format.bitsAllocated * (mixedSign ? 2 : 1)) / 8,
      first.file,
    );
  let output: VoxelArray | undefined;
  if (isNative16Series(series.slices) && !mixedSign && (Direct === undefined || Direct.BYTES_PER_ELEMENT === 2)) {
    // Uncompressed 16-bit cells, whose sizes the scan checked against each file: read straight into the volume.
    const output16 = allocate() as Int16Array | Uint16Array;
    const rescaleOf = (k: number): RescaleRun => (Direct ? runs[k]! : { slope: 1, intercept: 0, length: sliceLength });
    await readNative16Slices({ slices: series.slices, sliceLength, output: output16, rescaleOf, onFilesDecoded: options.onFilesDecoded });
    output = output16;
  } else {
    const { decodeSeriesSlices } = await import('./decodeSeriesSlices.js');
    output = await decodeSeriesSlices({
      slices: series.slices,
      sliceLength,
      decodePool: options.decodePool,
      onFilesDecoded: options.onFilesDecoded,
      runOf: Direct && ((k) => runs[k]!),
      // A 16-bit volume's compressed frames are rescaled where they decode (on the pool's threads), in the masking's SIMD pass.
      output16: Direct === Int16Array ? 'int16' : Direct === Uint16Array ? 'uint16' : undefined,
      allocate,
    });
  }
  if (output === undefined) throw new AxialError('DICOM_NO_IMAGES', 'the series has no slices to decode', { file: first.file });
  // The rescaled copy may be float32: the engine can refuse it even where the stored values fitted.
  const stored = output;
  const real = (): VoxelArray => (anyLut ? applyModalityLuts({ stored, luts, runs }) : rescaleToSmallestType(stored, runs));
  const voxels = Direct ? stored : allocateVoxels(real, total * 4, first.file);
  return createVolume(
    {
      dimensions: series.dimensions,
      spacing: series.spacing,
      origin: series.origin,
      direction: series.direction,
      voxels,
      metadata: {
        format: 'dicom',
        modality: first.modality || undefined,
        patientId: first.patientId || undefined,
        patientName: first.patientName || undefined,
        patientBirthDate: first.patientBirthDate,
        patientSex: first.patientSex,
        studyDate: first.studyDate,
        studyTime: first.studyTime,
        sliceThickness: middle.sliceThickness,
        studyInstanceUid: first.studyInstanceUid || undefined,
        studyDescription: first.studyDescription || undefined,
        seriesInstanceUid: first.seriesInstanceUid || undefined,
        seriesDescription: first.seriesDescription || undefined,
        seriesNumber: first.seriesNumber,
        frameOfReferenceUid: first.frameOfReferenceUid || undefined,
        units: unitsOf(first.modality, luts[0]?.type || first.rescaleType),
        windowPresets: middle.windowPresets,
        invertDisplay: format.photometricInterpretation === 'MONOCHROME1' || undefined,
        sopInstanceUids: series.slices.map((s) => s.instance.sopInstanceUid),
        fileCount: series.fileCount,
      },
    },
    first.file,
  );
}

/**
 * Refuses a volume over maxBytes (at BitsAllocated a voxel), or with more voxels than one typed
 * array may hold here (buffer.constants.MAX_LENGTH: 2^32 in Node 20, less where V8's sandbox
 * caps it), before anything is allocated for it.
 */
function assertAllocatable(series: DicomSeries, total: number, maxBytes: number): void {
  const { bitsAllocated } = series.slices[0]!.instance.pixelFormat;
  const bytes = total * (bitsAllocated / 8);
  const size = `${series.dimensions.join('×')} at ${bitsAllocated} bits`;
  const file = series.slices[0]!.instance.file;
  if (bytes > maxBytes) {
    throw new AxialError('VOLUME_TOO_LARGE', `${size} needs ${bytes} bytes, over the limit of ${maxBytes}`, { file });
  }
  if (total > bufferConstants.MAX_LENGTH) {
    throw new AxialError('VOLUME_TOO_LARGE', `${size} is ${total} voxels, more than one array can hold here (${bufferConstants.MAX_LENGTH})`, { file });
  }
}

function directIntegerType(format: PixelFormat, runs: readonly RescaleRun[], mixedSign: boolean): IntegerArrayConstructor | undefined {
  if (!runs.every((r) => Number.isInteger(r.slope) && Number.isInteger(r.intercept))) return undefined;
  const bits = format.bitsStored;
  const signed = format.pixelRepresentation === 1;
  const possible: [number, number] = [signed || mixedSign ? -(2 ** (bits - 1)) : 0, signed && !mixedSign ? 2 ** (bits - 1) - 1 : 2 ** bits - 1];
  const Type = integerTypeForRange(mappedRange(possible, runs));
  return Type && Type.BYTES_PER_ELEMENT <= format.bitsAllocated / 8 ? Type : undefined;
}

/** HU for CT, else the ModalityLUTType or RescaleType that says what the values are. */
function unitsOf(modality: string, type: string): string | undefined {
  return modality === 'CT' || type === 'HU' ? 'HU' : type || undefined;
}

/** Cells for the stored values; where signed and unsigned slices mix, the next wider type holds both. */
function allocateStored(format: PixelFormat, length: number, file: string, mixedSign: boolean): VoxelArray {
  const signed = format.pixelRepresentation === 1;
  switch (format.bitsAllocated) {
    case 8:
      return mixedSign ? new Int16Array(length) : signed ? new Int8Array(length) : new Uint8Array(length);
    case 16:
      return mixedSign ? new Int32Array(length) : signed ? new Int16Array(length) : new Uint16Array(length);
    case 32:
      return mixedSign ? new Float64Array(length) : signed ? new Int32Array(length) : new Uint32Array(length);
    default:
      throw new AxialError('DICOM_UNSUPPORTED_PIXEL_FORMAT', `BitsAllocated ${format.bitsAllocated} is not 8, 16 or 32`, { file });
  }
}
