import { constants as bufferConstants } from 'node:buffer';
import type { DataSet } from 'dicom-parser';
import { AxialError } from '../errors/AxialError.js';
import { allocateVoxels } from '../io/allocateVoxels.js';
import { openRegularFile } from '../io/openRegularFile.js';
import { readFileRegion } from '../io/readFileRegion.js';
import { createVolume, type Volume, type VoxelArray } from '../volume/Volume.js';
import { integerTypeForRange, mappedRange, rescaleToSmallestType, type IntegerArrayConstructor, type RescaleRun } from '../volume/rescaleToSmallestType.js';
import type { DicomSeries, DicomSlice } from './DicomSeries.js';
import { createInOrderQueue, type InOrderQueue } from './createInOrderQueue.js';
import { decodeFrame, type StoredValues } from './decodeFrame.js';
import type { FrameDecodePool, FrameRescale } from './FrameDecodePool.js';
import type { PixelFormat } from './PixelFormat.js';
import { parseDicomBytes } from './parseDicomBytes.js';
import { readFrameBytes } from './readFrameBytes.js';
import { isNative16Series, readNative16Slices } from './readNative16Slices.js';
import { unreadable } from './unreadable.js';
import { cutMosaicTile } from './siemens/cutMosaicTile.js';
import { isCompressedTransferSyntax } from './codecs/transferSyntaxCodecs.js';

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
const readAhead = 4;

/**
 * Decodes a scanned series into a Volume of real values (rescale applied per
 * slice, smallest exact type). Each file is read and parsed once, the next
 * one read while this one decodes; peak memory is the volume plus a file.
 * A compressed series' volume is allocated once the first frame has decoded, so a frame whose
 * header lies is refused before a volume is made for it; an uncompressed one's sizes were checked
 * against each file by the scan, and its slices are read straight into the volume.
 * @throws AxialError VOLUME_TOO_LARGE before allocating, when the voxels would pass maxBytes or
 *   the platform's largest typed array; the decoder's DICOM_* errors naming the file.
 */
export async function loadDicomVolume(series: DicomSeries, options: LoadDicomOptions = {}): Promise<Volume> {
  const first = series.slices[0]!.instance;
  const format = first.pixelFormat;
  const sliceLength = format.rows * format.columns;
  const total = sliceLength * series.slices.length;
  assertAllocatable(series, total, options.maxBytes ?? defaultMaxBytes);
  const runs = series.slices.map((s) => ({ slope: s.geometry.slope, intercept: s.geometry.intercept, length: sliceLength }));
  // When every slice's rescale of what BitsStored can hold fits an integer type no wider than the
  // stored one (most CT: 12 bits + intercept -1024 -> int16), real values are written while
  // decoding, in one pass; otherwise stored values are collected and rescaled after.
  const Direct = directIntegerType(format, runs);
  const allocate = (): VoxelArray =>
    allocateVoxels(() => (Direct ? new Direct(total) : allocateStored(format, total)), (total * format.bitsAllocated) / 8, first.file);
  let output: VoxelArray | undefined;
  if (isNative16Series(series.slices) && (Direct === undefined || Direct.BYTES_PER_ELEMENT === 2)) {
    // Uncompressed 16-bit cells, whose sizes the scan checked against each file: read straight into the volume.
    output = allocate() as Int16Array | Uint16Array;
    await readNative16Slices({
      slices: series.slices,
      sliceLength,
      output,
      rescaleOf: (k) => (Direct ? runs[k]! : identity),
      onFilesDecoded: options.onFilesDecoded,
    });
  } else {
    // A 16-bit volume's compressed frames are rescaled where they decode (on the pool's threads), in the masking's SIMD pass.
    const output16 = Direct === Int16Array ? 'int16' : Direct === Uint16Array ? 'uint16' : undefined;
    const rescaleOf = (k: number): FrameRescale | undefined => output16 && { slope: runs[k]!.slope, intercept: runs[k]!.intercept, output: output16 };
    await decodeAllSlices(series.slices, sliceLength, { ...options, rescaleOf }, (k, values, cellsOf, rescaled) => {
      output ??= allocate();
      const run = Direct && !rescaled ? runs[k]! : identity;
      if (cellsOf) writeNativeCells(values, cellsOf, run, output, k * sliceLength);
      else writeRescaled(values, run, output, k * sliceLength);
    });
  }
  if (output === undefined) throw new AxialError('DICOM_NO_IMAGES', 'the series has no slices to decode', { file: first.file });
  // The rescaled copy may be float32: the engine can refuse it even where the stored values fitted.
  const stored = output;
  const voxels = Direct ? stored : allocateVoxels(() => rescaleToSmallestType(stored, runs), total * 4, first.file);
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

function directIntegerType(format: PixelFormat, runs: readonly RescaleRun[]): IntegerArrayConstructor | undefined {
  if (!runs.every((r) => Number.isInteger(r.slope) && Number.isInteger(r.intercept))) return undefined;
  const bits = format.bitsStored;
  const possible: [number, number] = format.pixelRepresentation === 1 ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
  const Type = integerTypeForRange(mappedRange(possible, runs));
  return Type && Type.BYTES_PER_ELEMENT <= format.bitsAllocated / 8 ? Type : undefined;
}

const identity: RescaleRun = { slope: 1, intercept: 0, length: 0 };

/** A freshly read, aligned buffer seen as unsigned cells of the allocated width. */
function rawCells(bytes: Uint8Array, bitsAllocated: number): VoxelArray {
  if (bitsAllocated === 8) return bytes;
  return bitsAllocated === 16
    ? new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2)
    : new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

/**
 * Masks raw cells to BitsStored (sign-extending signed pixels) and applies the
 * rescale in the same pass, writing straight into the volume.
 */
function writeNativeCells(cells: VoxelArray, format: PixelFormat, run: RescaleRun, target: VoxelArray, offset: number): void {
  const shift = format.highBit + 1 - format.bitsStored;
  const unused = 32 - format.bitsStored;
  const mask = 0xffffffff >>> unused;
  const { slope, intercept } = run;
  const out = target.subarray(offset, offset + cells.length);
  if (format.pixelRepresentation === 1) {
    for (let i = 0; i < out.length; i++) out[i] = (((cells[i]! >>> shift) << unused) >> unused) * slope + intercept;
  } else if (slope === 1) {
    for (let i = 0; i < out.length; i++) out[i] = ((cells[i]! >>> shift) & mask) + intercept;
  } else {
    for (let i = 0; i < out.length; i++) out[i] = ((cells[i]! >>> shift) & mask) * slope + intercept;
  }
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

/**
 * Decodes every slice and hands its values to `write` with its k position, one
 * file at a time: stored values, or, for native little-endian files, the raw
 * cells as read from disk (with the format that says how to mask them).
 * Compressed frames given to a pool may be written out of order; a failure is still the first
 * slice's in order, as without the pool.
 */
async function decodeAllSlices(
  slices: readonly DicomSlice[],
  sliceLength: number,
  { decodePool: pool, onFilesDecoded, rescaleOf }: LoadDicomOptions & { rescaleOf: (k: number) => FrameRescale | undefined },
  write: SliceWriter,
): Promise<void> {
  const byFile = new Map<string, { slice: DicomSlice; k: number }[]>();
  slices.forEach((slice, k) => {
    const list = byFile.get(slice.instance.file) ?? [];
    list.push({ slice, k });
    byFile.set(slice.instance.file, list);
  });
  const files = [...byFile.entries()];
  // Keep a few reads in flight so decoding never waits on the disk.
  const read = ([file, entries]: (typeof files)[number]): Promise<Uint8Array> => {
    const instance = entries[0]!.slice.instance;
    const offset = instance.nativePixelOffset;
    if (offset === undefined) return readWhole(file);
    const bytes = storedFrameLength(instance, sliceLength) * (instance.pixelFormat.bitsAllocated / 8);
    return readFileRegion(file, offset, bytes).catch((error: unknown) => {
      throw unreadable(error, file);
    });
  };
  const queue = pool ? createInOrderQueue(2 * pool.threads) : undefined;
  const ahead: Promise<Uint8Array>[] = files.slice(0, readAhead).map(read);
  try {
    for (let i = 0; i < files.length; i++) {
      const [file, entries] = files[i]!;
      const bytes = await ahead.shift()!;
      if (i + readAhead < files.length) ahead.push(read(files[i + readAhead]!));
      const instance = entries[0]!.slice.instance;
      const format = instance.pixelFormat;
      if (instance.nativePixelOffset !== undefined) {
        if (bytes.length * 8 < storedFrameLength(instance, sliceLength) * format.bitsAllocated) {
          throw new AxialError('DICOM_TRUNCATED', `the pixel data ends after ${bytes.length} bytes`, { file });
        }
        const cells = rawCells(bytes, format.bitsAllocated);
        // A mosaic's slices all come from its one stored frame.
        for (const { slice, k } of entries) write(k, instance.mosaic ? cutMosaicTile(cells, instance.mosaic, slice.frameIndex) : cells, format);
      } else {
        const dataSet = parseDicomBytes(bytes, file);
        const parallel = queue && isCompressedTransferSyntax(instance.transferSyntaxUid) ? { pool: pool!, queue } : undefined;
        await decodeFileSlices({ dataSet, file, entries, sliceLength, parallel, rescaleOf, write });
      }
      // With the pool, a file counts once its frames are handed over: the count runs at most 2 × threads frames ahead.
      onFilesDecoded?.(i + 1);
    }
    await queue?.drain();
  } catch (error) {
    // An earlier slice still decoding may have failed too: its error is the one to report, as without the pool.
    await queue?.drain();
    throw error;
  }
}

interface DecodeFileSlicesParams {
  dataSet: DataSet;
  file: string;
  entries: readonly { slice: DicomSlice; k: number }[];
  sliceLength: number;
  /** The pool, and the queue of its frames in flight, for a compressed file; undefined to decode here, one by one. */
  parallel: { pool: FrameDecodePool; queue: InOrderQueue } | undefined;
  /** Slice k's map, to apply while decoding; undefined to get stored values. */
  rescaleOf: (k: number) => FrameRescale | undefined;
  write: SliceWriter;
}

/**
 * Takes slice k's values: raw cells as read from disk (with the format that says how to mask them),
 * stored values, or values already rescaled while decoding.
 */
type SliceWriter = (k: number, values: VoxelArray, rawCellsOf?: PixelFormat, rescaled?: boolean) => void;

/** The slices of one parsed (not native little-endian) file, decoded here or handed to the pool. */
async function decodeFileSlices({ dataSet, file, entries, sliceLength, parallel, rescaleOf, write }: DecodeFileSlicesParams): Promise<void> {
  const instance = entries[0]!.slice.instance;
  const decodeStored = (frame: number, format: PixelFormat, rescale?: FrameRescale): Promise<StoredValues> => {
    const bytes = readFrameBytes(dataSet, format, frame, file);
    if (!parallel) return decodeFrame(instance.transferSyntaxUid, bytes, format, file, rescale);
    // The frame gets a buffer of its own (the file's would be lost to this thread once transferred).
    return parallel.pool.decode({ transferSyntaxUid: instance.transferSyntaxUid, format, bytes: bytes.slice().buffer, file, ...(rescale && { rescale }) });
  };
  const decodeMosaicFrame = instance.mosaic && decodeOnce(instance.mosaic.format, decodeStored);
  for (const { slice, k } of entries) {
    const format = slice.instance.pixelFormat;
    const { mosaic } = slice.instance;
    // A mosaic's stored frame holds several slices, each rescaled on its own after the cut.
    const rescale = mosaic ? undefined : rescaleOf(k);
    const decoded =
      mosaic && decodeMosaicFrame
        ? decodeMosaicFrame(Math.floor(slice.frameIndex / mosaic.count)).then((frame) => cutMosaicTile(frame, mosaic, slice.frameIndex % mosaic.count))
        : decodeStored(slice.frameIndex, format, rescale);
    const written = decoded.then((values) => {
      if (values.length !== sliceLength) {
        throw new AxialError('DICOM_CORRUPT_PIXEL_DATA', `frame ${slice.frameIndex + 1} decoded to ${values.length} pixels, expected ${sliceLength}`, { file });
      }
      write(k, values, undefined, rescale !== undefined);
    });
    if (parallel) await parallel.queue.add(written);
    else await written;
  }
}

/** Values in one stored frame: a slice's, or for a mosaic the whole tiled image's. */
function storedFrameLength(instance: DicomSlice['instance'], sliceLength: number): number {
  return instance.mosaic ? instance.mosaic.format.rows * instance.mosaic.format.columns : sliceLength;
}

/**
 * Decodes stored frames of a mosaic file, keeping the last one: its slices come in tile order
 * within each frame, so each stored frame is decoded once.
 */
function decodeOnce(format: PixelFormat, decodeStored: (frame: number, format: PixelFormat) => Promise<StoredValues>): (frame: number) => Promise<VoxelArray> {
  let last: { frame: number; values: Promise<VoxelArray> } | undefined;
  return (frame) => {
    if (last?.frame !== frame) last = { frame, values: decodeStored(frame, format) };
    return last.values;
  };
}

/** The whole file, read only while it is still a regular file (it was one at scan time, but may have been swapped). */
async function readWhole(file: string): Promise<Uint8Array> {
  try {
    const handle = await openRegularFile(file);
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw unreadable(error, file);
  }
}
