import { readFile } from 'node:fs/promises';
import { AxialError } from '../errors/AxialError.js';
import { createVolume, type Volume, type VoxelArray } from '../volume/Volume.js';
import {
  integerTypeForRange,
  mappedRange,
  rescaleToSmallestType,
  type IntegerArrayConstructor,
  type RescaleRun,
} from '../volume/rescaleToSmallestType.js';
import type { DicomSeries, DicomSlice } from './DicomSeries.js';
import { decodeFrame } from './decodeFrame.js';
import type { PixelFormat } from './PixelFormat.js';
import { parseDicomBytes } from './parseDicomBytes.js';
import { readFrameBytes } from './readFrameBytes.js';

export interface LoadDicomOptions {
  /** Refuse before allocating when the stored voxels would exceed this. Default 8 GiB. */
  readonly maxBytes?: number;
}

const defaultMaxBytes = 8 * 1024 ** 3;
const readAhead = 4;

/**
 * Decodes a scanned series into a Volume of real values (rescale applied per
 * slice, smallest exact type). Each file is read and parsed once, the next
 * one read while this one decodes; peak memory is the volume plus a file.
 * @throws AxialError VOLUME_TOO_LARGE before allocating; the decoder's DICOM_* errors naming the file.
 */
export async function loadDicomVolume(series: DicomSeries, options: LoadDicomOptions = {}): Promise<Volume> {
  const first = series.slices[0]!.instance;
  const format = first.pixelFormat;
  const sliceLength = format.rows * format.columns;
  const bytes = sliceLength * series.slices.length * (format.bitsAllocated / 8);
  if (bytes > (options.maxBytes ?? defaultMaxBytes)) {
    throw new AxialError('VOLUME_TOO_LARGE', `${series.dimensions.join('×')} at ${format.bitsAllocated} bits needs ${bytes} bytes, over the limit`, { file: first.file });
  }
  const runs = series.slices.map((s) => ({ slope: s.geometry.slope, intercept: s.geometry.intercept, length: sliceLength }));
  const total = sliceLength * series.slices.length;
  // When every slice's rescale of what BitsStored can hold fits an integer type no wider than the
  // stored one (most CT: 12 bits + intercept -1024 -> int16), real values are written while
  // decoding, in one pass; otherwise stored values are collected and rescaled after.
  const Direct = directIntegerType(format, runs);
  const output = Direct ? new Direct(total) : allocateStored(format, total);
  await decodeAllSlices(series.slices, sliceLength, (values, k) => {
    if (Direct) writeRescaled(values, runs[k]!, output, k * sliceLength);
    else output.set(values, k * sliceLength);
  });
  const voxels = Direct ? output : rescaleToSmallestType(output, runs);
  return createVolume({
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
      studyInstanceUid: first.studyInstanceUid || undefined,
      studyDescription: first.studyDescription || undefined,
      seriesInstanceUid: first.seriesInstanceUid || undefined,
      seriesDescription: first.seriesDescription || undefined,
      seriesNumber: first.seriesNumber,
      frameOfReferenceUid: first.frameOfReferenceUid || undefined,
      units: first.modality === 'CT' || first.rescaleType === 'HU' ? 'HU' : first.rescaleType || undefined,
      windowPresets: first.windowPresets,
      invertDisplay: format.photometricInterpretation === 'MONOCHROME1' || undefined,
      sopInstanceUids: series.slices.map((s) => s.instance.sopInstanceUid),
      fileCount: series.fileCount,
    },
  });
}

function directIntegerType(format: PixelFormat, runs: readonly RescaleRun[]): IntegerArrayConstructor | undefined {
  if (!runs.every((r) => Number.isInteger(r.slope) && Number.isInteger(r.intercept))) return undefined;
  const bits = format.bitsStored;
  const possible: [number, number] = format.pixelRepresentation === 1 ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
  const Type = integerTypeForRange(mappedRange(possible, runs));
  return Type && Type.BYTES_PER_ELEMENT <= format.bitsAllocated / 8 ? Type : undefined;
}

function writeRescaled(values: VoxelArray, run: RescaleRun, target: VoxelArray, offset: number): void {
  const { slope, intercept } = run;
  if (slope === 1 && intercept === 0) {
    target.set(values, offset);
    return;
  }
  const out = target.subarray(offset, offset + values.length);
  if (slope === 1) for (let i = 0; i < out.length; i++) out[i] = values[i]! + intercept;
  else for (let i = 0; i < out.length; i++) out[i] = values[i]! * slope + intercept;
}

function allocateStored(format: PixelFormat, length: number): VoxelArray {
  const signed = format.pixelRepresentation === 1;
  switch (format.bitsAllocated) {
    case 8:
      return signed ? new Int8Array(length) : new Uint8Array(length);
    case 16:
      return signed ? new Int16Array(length) : new Uint16Array(length);
    case 32:
      return signed ? new Int32Array(length) : new Uint32Array(length);
    default:
      throw new AxialError('DICOM_UNSUPPORTED_PIXEL_FORMAT', `BitsAllocated ${format.bitsAllocated} is not 8, 16 or 32`);
  }
}

/** Decodes every slice and hands its stored values to `write` with its k position, one file at a time. */
async function decodeAllSlices(
  slices: readonly DicomSlice[],
  sliceLength: number,
  write: (values: VoxelArray, k: number) => void,
): Promise<void> {
  const byFile = new Map<string, { slice: DicomSlice; k: number }[]>();
  slices.forEach((slice, k) => {
    const list = byFile.get(slice.instance.file) ?? [];
    list.push({ slice, k });
    byFile.set(slice.instance.file, list);
  });
  const files = [...byFile.entries()];
  // Keep a few reads in flight so decoding never waits on the disk.
  const ahead: Promise<Uint8Array>[] = files.slice(0, readAhead).map(([file]) => readWhole(file));
  for (let i = 0; i < files.length; i++) {
    const [file, entries] = files[i]!;
    const bytes = await ahead.shift()!;
    if (i + readAhead < files.length) ahead.push(readWhole(files[i + readAhead]![0]));
    const dataSet = parseDicomBytes(bytes, file);
    for (const { slice, k } of entries) {
      const format = slice.instance.pixelFormat;
      const frame = readFrameBytes(dataSet, format, slice.frameIndex, file);
      const values = await decodeFrame(slice.instance.transferSyntaxUid, frame, format, file);
      if (values.length !== sliceLength) {
        throw new AxialError('DICOM_CORRUPT_PIXEL_DATA', `frame ${slice.frameIndex + 1} decoded to ${values.length} pixels, expected ${sliceLength}`, { file });
      }
      write(values, k);
    }
  }
}

async function readWhole(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new AxialError('INPUT_UNREADABLE', `cannot read: ${(error as Error).message}`, { file, cause: error });
  }
}
