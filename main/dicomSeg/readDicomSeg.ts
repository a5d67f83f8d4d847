import { basename } from 'node:path';
import { AxialError, isAxialError } from '../errors/AxialError.js';
import { readRegularFile } from '../io/readRegularFile.js';
import type { VolumeGrid } from '../volume/Volume.js';
import { parseDicomSeg } from './parseDicomSeg.js';
import { maxSegFileBytes } from './packSegFrames.js';
import { placeSegOnVolume } from './placeSegOnVolume.js';
import type { SegLayers } from './SegSegment.js';

/** A DICOM SEG file placed on its source volume. */
export interface ReadDicomSegResult {
  /** The file's name (without its folder), to show beside the segments. */
  readonly name: string;
  readonly seg: SegLayers;
  readonly warnings: string[];
}

/**
 * Reads a DICOM Segmentation file and places its segments on `volume`, the series it was drawn on
 * (see {@link parseDicomSeg} and {@link placeSegOnVolume}).
 * @throws AxialError INPUT_NOT_FOUND when there is no such file; INPUT_NOT_A_FILE for a FIFO, device or folder;
 *   INPUT_UNREADABLE when it cannot be read (no permission); SEG_UNSUPPORTED for a file past 2 GiB (maxSegFileBytes, what
 *   Axial writes at most); SEG_INVALID, SEG_UNSUPPORTED and SEG_SOURCE_MISMATCH as parseDicomSeg and placeSegOnVolume throw them.
 */
export async function readDicomSeg(path: string, volume: VolumeGrid): Promise<ReadDicomSegResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(path, {
      maxBytes: maxSegFileBytes,
      tooLarge: (size) =>
        new AxialError('SEG_UNSUPPORTED', `the file is ${size} bytes, and Axial reads a SEG file of at most ${maxSegFileBytes} bytes (2 GiB)`, {
          file: path,
        }),
    });
  } catch (error) {
    if (isAxialError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE';
    throw new AxialError(code, `cannot read: ${(error as Error).message}`, { file: path, cause: error });
  }
  const parsed = parseDicomSeg(bytes, path);
  const { seg, warnings } = placeSegOnVolume(parsed, volume, path);
  return { name: basename(path), seg, warnings };
}
