import { AxialError } from '../errors/AxialError.js';
import { readFileRegion } from '../io/readFileRegion.js';
import { createCells16Rescaler, type IntegerRescale } from './createCells16Rescaler.js';
import type { DicomSlice } from './DicomSeries.js';
import { unreadable } from './unreadable.js';

export interface ReadNative16Params {
  readonly slices: readonly DicomSlice[];
  readonly sliceLength: number;
  /** Where slice k's values go, at k × sliceLength: the volume's real values, or its stored values. */
  readonly output: Int16Array | Uint16Array;
  /** Slice k's integer map from stored to output values (the identity when stored values are collected). */
  readonly rescaleOf: (k: number) => IntegerRescale;
  /** Hears how many of the series' files have been read, in file order. */
  readonly onFilesDecoded?: ((done: number) => void) | undefined;
}

/** Files read at once, so the disk never waits on the pass. */
const readsInFlight = 8;

/**
 * Whether every slice is a single-frame, native little-endian 16-bit cell frame (most CT and MR):
 * such a series is read by readNative16Slices.
 */
export function isNative16Series(slices: readonly DicomSlice[]): boolean {
  return slices.every(({ instance }) => instance.nativePixelOffset !== undefined && instance.mosaic === undefined && instance.pixelFormat.bitsAllocated === 16);
}

/**
 * Reads native 16-bit slices straight into the volume, several files at once; a slice whose map
 * is not the identity on all 16 bits is then masked and rescaled in WebAssembly scratch with SIMD
 * (createCells16Rescaler) and copied back. The reads fault the volume's fresh pages in on the
 * thread pool (100 ms for 150 MiB here, when the main thread did it by copying), and the pass
 * works on a slice still in the cache. Values are those of the per-voxel JavaScript pass it replaces.
 * @throws AxialError DICOM_TRUNCATED when a file's pixel data ends early; INPUT_NOT_A_FILE or
 *   INPUT_UNREADABLE naming the file when it cannot be read.
 */
export async function readNative16Slices({ slices, sliceLength, output, rescaleOf, onFilesDecoded }: ReadNative16Params): Promise<void> {
  const files = slicesByFile(slices);
  const frameBytes = sliceLength * 2;
  const rescaler = createCells16Rescaler(1, frameBytes);
  const Type = output instanceof Int16Array ? Int16Array : Uint16Array;
  const outputBytes = new Uint8Array(output.buffer, output.byteOffset, output.byteLength);
  const regionOf = (k: number): Uint8Array => outputBytes.subarray(k * frameBytes, (k + 1) * frameBytes);
  const read = (i: number): Promise<Uint8Array> => {
    const { slice, k } = files[i]![0]!;
    const { file, nativePixelOffset } = slice.instance;
    const reading = readFileRegion(file, nativePixelOffset!, frameBytes, regionOf(k)).catch((error: unknown) => {
      throw unreadable(error, file);
    });
    // A read still in flight when an earlier file fails is never awaited: its failure must not go unhandled.
    reading.catch(() => undefined);
    return reading;
  };
  const ahead = files.slice(0, readsInFlight).map((_, i) => read(i));
  for (let i = 0; i < files.length; i++) {
    const bytes = await ahead.shift()!;
    if (i + readsInFlight < files.length) ahead.push(read(i + readsInFlight));
    const entries = files[i]!;
    const { pixelFormat, file } = entries[0]!.slice.instance;
    if (bytes.length < frameBytes) throw new AxialError('DICOM_TRUNCATED', `the pixel data ends after ${bytes.length} bytes`, { file });
    // The raw cells, kept aside only when one file gives several slices (the same file listed twice).
    const raw = entries.length > 1 ? bytes.slice() : bytes;
    for (const { k } of entries) {
      const map = rescaleOf(k);
      const identity = pixelFormat.bitsStored === 16 && pixelFormat.highBit === 15 && map.slope === 1 && map.intercept === 0;
      if (identity) {
        if (raw !== bytes || k !== entries[0]!.k) regionOf(k).set(raw);
        continue;
      }
      rescaler.slot(0).set(raw);
      output.set(rescaler.rescale(0, sliceLength, pixelFormat, map, Type), k * sliceLength);
    }
    onFilesDecoded?.(i + 1);
  }
}

interface FileSlice {
  readonly slice: DicomSlice;
  readonly k: number;
}

/** The slices grouped by file, files in the order their first slice comes. */
function slicesByFile(slices: readonly DicomSlice[]): FileSlice[][] {
  const byFile = new Map<string, FileSlice[]>();
  slices.forEach((slice, k) => {
    const list = byFile.get(slice.instance.file) ?? [];
    list.push({ slice, k });
    byFile.set(slice.instance.file, list);
  });
  return [...byFile.values()];
}
