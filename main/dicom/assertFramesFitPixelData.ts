import type { DataSet } from 'dicom-parser';
import { AxialError } from '../errors/AxialError.js';
import { maxDeflateRatio } from '../io/inflateInto.js';
import type { PixelFormat } from './PixelFormat.js';

/** Where the header was read from, to know how many bytes can follow the Pixel Data's header. */
export interface PixelDataExtent {
  /** The file's size on disk. */
  readonly fileSize: number;
  /** How many of the file's bytes the data set was parsed from (a prefix, or all of them). */
  readonly bytesParsed: number;
}

const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
/** An encapsulated frame is at least one fragment item: its 8-byte header (PS3.5 A.4). */
const ITEM_HEADER_BYTES = 8;

/**
 * Checks the header's claims about its pixels against the bytes that can hold them, before
 * anything is built per frame: NumberOfFrames x Rows x Columns x SamplesPerPixel x
 * BitsAllocated against the Pixel Data's length and what is left of the file after its header
 * (an encapsulated frame needs at least a fragment item), and the PerFrameFunctionalGroupsSequence
 * against NumberOfFrames. The header is parsed up to the Pixel Data's element header only, so
 * its length and the file's size are what bound it; a deflated data set can hold at most
 * maxDeflateRatio times its compressed size.
 *
 * @throws AxialError DICOM_TRUNCATED when native frames need more bytes than the Pixel Data or
 *   the file holds.
 * @throws AxialError DICOM_CORRUPT_PIXEL_DATA when encapsulated Pixel Data is too short for one
 *   fragment per frame.
 * @throws AxialError DICOM_MALFORMED when the PerFrameFunctionalGroupsSequence has fewer items
 *   than NumberOfFrames.
 */
export function assertFramesFitPixelData(dataSet: DataSet, format: PixelFormat, extent: PixelDataExtent, file: string): void {
  const pixelData = dataSet.elements.x7fe00010;
  if (pixelData === undefined) return;
  const { rows, columns, samplesPerPixel, bitsAllocated, numberOfFrames } = format;
  const available = bytesAvailable(dataSet, extent);
  const frameBits = rows * columns * samplesPerPixel * bitsAllocated;
  if (pixelData.hadUndefinedLength) {
    const needed = (numberOfFrames + 2) * ITEM_HEADER_BYTES; // the Basic Offset Table item, one per frame, the delimiter
    if (needed > available) {
      throw new AxialError(
        'DICOM_CORRUPT_PIXEL_DATA',
        `the header claims ${numberOfFrames} frames, but the encapsulated Pixel Data's ${available} bytes ` +
          `hold at most ${Math.max(0, Math.floor(available / ITEM_HEADER_BYTES) - 2)} fragments, one per frame at the least`,
        { file },
      );
    }
  } else {
    const needed = Math.ceil((numberOfFrames * frameBits) / 8);
    if (needed > available) {
      throw new AxialError(
        'DICOM_TRUNCATED',
        `the header claims ${numberOfFrames} frame(s) of ${columns}x${rows} pixels, ${samplesPerPixel} sample(s) of ${bitsAllocated} bits ` +
          `(${needed} bytes), but the Pixel Data holds ${available} bytes`,
        { file },
      );
    }
  }
  assertPerFrameGroups(dataSet, numberOfFrames, file);
}

/** The bytes after the Pixel Data's element header: its length, when defined, and never past the file's end. */
function bytesAvailable(dataSet: DataSet, extent: PixelDataExtent): number {
  const pixelData = dataSet.elements.x7fe00010!;
  let end: number;
  if ((dataSet.string('x00020010') ?? '').trim() === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN) {
    // Offsets count inflated bytes after the file meta information, which is stored as is.
    const metaEnd = metaInformationEnd(dataSet);
    end = metaEnd + Math.max(0, extent.fileSize - metaEnd) * maxDeflateRatio;
  } else {
    // The parsed bytes may carry a made-up preamble in front of the file's own (parseDicomBytes).
    end = extent.fileSize + (dataSet.byteArray.length - extent.bytesParsed);
  }
  const rest = Math.max(0, end - pixelData.dataOffset);
  return pixelData.hadUndefinedLength ? rest : Math.min(rest, pixelData.length);
}

function metaInformationEnd(dataSet: DataSet): number {
  let end = 0;
  for (const element of Object.values(dataSet.elements)) {
    if (element.tag.startsWith('x0002')) end = Math.max(end, element.dataOffset + element.length);
  }
  return end;
}

/** PS3.3 C.7.6.16: one PerFrameFunctionalGroupsSequence item per frame. */
function assertPerFrameGroups(dataSet: DataSet, numberOfFrames: number, file: string): void {
  const perFrame = dataSet.elements.x52009230;
  if (perFrame === undefined) return;
  const items = perFrame.items?.length ?? 0;
  if (items < numberOfFrames) {
    throw new AxialError(
      'DICOM_MALFORMED',
      `the header claims ${numberOfFrames} frames, but its PerFrameFunctionalGroupsSequence (5200,9230) has ${items} item(s), one per frame`,
      { file },
    );
  }
}
