import type { DataSet } from 'dicom-parser';
import { AxialError } from '../errors/AxialError.js';
import type { FileHandle } from 'node:fs/promises';
import { openRegularFile } from '../io/openRegularFile.js';
import { readFileRegion } from '../io/readFileRegion.js';
import type { VoxelArray } from '../volume/Volume.js';
import type { RescaleRun } from '../volume/rescaleToSmallestType.js';
import { isCompressedTransferSyntax } from './codecs/transferSyntaxCodecs.js';
import { createInOrderQueue, type InOrderQueue } from './createInOrderQueue.js';
import type { DicomSlice } from './DicomSeries.js';
import { decodeFrame, type StoredValues } from './decodeFrame.js';
import type { FrameDecodePool } from './FrameDecodePool.js';
import type { FrameRescale } from './FrameRescale.js';
import type { PixelFormat } from './PixelFormat.js';
import { parseDicomBytes } from './parseDicomBytes.js';
import { readFrameBytes } from './readFrameBytes.js';
import { cutMosaicTile } from './siemens/cutMosaicTile.js';
import { unreadable } from './unreadable.js';

export interface DecodeSeriesSlicesParams {
  readonly slices: readonly DicomSlice[];
  readonly sliceLength: number;
  /** Decodes compressed frames in parallel, up to 2 × its threads at once; without it, here one after another. */
  readonly decodePool: FrameDecodePool | undefined;
  readonly onFilesDecoded: ((done: number) => void) | undefined;
  /** Slice k's map when real values are written while decoding; undefined to collect stored values (rescaled after). */
  readonly runOf: ((k: number) => RescaleRun) | undefined;
  /** The volume's 16-bit type, when compressed frames may come back rescaled from the decoder. */
  readonly output16: FrameRescale['output'] | undefined;
  /** Makes the volume, called once the first slice has decoded. */
  readonly allocate: () => VoxelArray;
}

const readAhead = 4;

/**
 * Decodes every slice of a series that is not all native 16-bit (compressed, big endian, 8 or 32
 * bits, mosaics) into the volume `allocate` makes: real values where `runOf` is given, stored
 * values otherwise. Imported by loadDicomVolume only for such series, so an uncompressed 16-bit
 * series never loads the codecs and the parser paths behind it.
 * @returns the volume, or undefined when there was no slice.
 * @throws AxialError the decoder's DICOM_* errors naming the file; INPUT_NOT_A_FILE, INPUT_UNREADABLE.
 */
export async function decodeSeriesSlices(params: DecodeSeriesSlicesParams): Promise<VoxelArray | undefined> {
  const { slices, sliceLength, runOf, output16, allocate } = params;
  const rescaleOf = (k: number): FrameRescale | undefined => {
    const run = runOf?.(k);
    return output16 && run && { slope: run.slope, intercept: run.intercept, output: output16 };
  };
  let output: VoxelArray | undefined;
  await decodeAllSlices(
    slices,
    sliceLength,
    { decodePool: params.decodePool, onFilesDecoded: params.onFilesDecoded, rescaleOf },
    (k, values, cellsOf, rescaled) => {
      output ??= allocate();
      const run = runOf && !rescaled ? runOf(k) : identity;
      if (cellsOf) writeNativeCells(values, cellsOf, run, output, k * sliceLength);
      else writeRescaled(values, run, output, k * sliceLength);
    },
  );
  return output;
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
  {
    decodePool: pool,
    onFilesDecoded,
    rescaleOf,
  }: Pick<DecodeSeriesSlicesParams, 'decodePool' | 'onFilesDecoded'> & { rescaleOf: (k: number) => FrameRescale | undefined },
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
  // Whole files are read into buffers that go round (one per read in flight, one for the file being
  // decoded): a new buffer each left every file's bytes for the GC, tens of MiB at once.
  const wholeFileBuffers: ArrayBuffer[] = [];
  const read = (i: number): Promise<Uint8Array> => {
    const [file, entries] = files[i]!;
    const instance = entries[0]!.slice.instance;
    const offset = instance.nativePixelOffset;
    if (offset === undefined) return readWhole(file, wholeFileBuffers, i % (readAhead + 1));
    const bytes = storedFrameLength(instance, sliceLength) * (instance.pixelFormat.bitsAllocated / 8);
    return readFileRegion(file, offset, bytes).catch((error: unknown) => {
      throw unreadable(error, file);
    });
  };
  const queue = pool ? createInOrderQueue(2 * pool.threads) : undefined;
  const ahead: Promise<Uint8Array>[] = files.slice(0, readAhead).map((_, i) => read(i));
  try {
    for (let i = 0; i < files.length; i++) {
      const [file, entries] = files[i]!;
      const bytes = await ahead.shift()!;
      if (i + readAhead < files.length) ahead.push(read(i + readAhead));
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
    // A view of the file's bytes: the pool copies it into a buffer of its own that it reuses.
    return parallel.pool.decode({ transferSyntaxUid: instance.transferSyntaxUid, format, bytes, file, ...(rescale && { rescale }) });
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
      // A frame from the pool, copied into the volume: its buffer goes back to decode a later frame into.
      if (parallel && !mosaic && values.byteOffset === 0 && values.byteLength === values.buffer.byteLength && values.buffer instanceof ArrayBuffer) {
        parallel.pool.recycle?.(values.buffer);
      }
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
async function readWhole(file: string, buffers: ArrayBuffer[], slot: number): Promise<Uint8Array> {
  try {
    const handle = await openRegularFile(file);
    try {
      const { size } = await handle.stat();
      if ((buffers[slot]?.byteLength ?? -1) < size) buffers[slot] = new ArrayBuffer(size);
      return await readFileRegionOf(handle, size, new Uint8Array(buffers[slot]!, 0, size));
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw unreadable(error, file);
  }
}

/** Reads an open file from its start into `target`, up to its length or the file's end. */
async function readFileRegionOf(handle: FileHandle, length: number, target: Uint8Array): Promise<Uint8Array> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(target, done, Math.min(length - done, 1 << 30), done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return target.subarray(0, done);
}
