import { AxialError } from '../../errors/AxialError.js';
import type { PixelFormat } from '../PixelFormat.js';
import type { DecodedSamples } from './DecodedSamples.js';

/** PS3.5 G.5: the RLE Header is 16 little-endian uint32s, the segment count then 15 offsets. */
const HEADER_BYTES = 64;
const MAX_SEGMENTS = 15;
/** PackBits' largest expansion: a 2-byte repeat run makes 128 bytes. */
const MAX_PACKBITS_RATIO = 64;

/**
 * Decodes one RLE Lossless frame (DICOM PS3.5 Annex G) of a grayscale image into its pixel cells.
 *
 * Each segment is a PackBits stream holding one byte plane, the most significant first, so a
 * 16-bit image has two segments that are interleaved back into big-endian-ordered cells.
 *
 * @param bytes - the frame: exactly one fragment, RLE Header first.
 * @throws AxialError DICOM_CORRUPT_PIXEL_DATA when the header or a segment is inconsistent with
 *   the frame size or runs past the end of the fragment, or a segment is too short to expand to
 *   Rows x Columns bytes (checked before any plane is allocated).
 * @throws AxialError DICOM_UNSUPPORTED_PIXEL_FORMAT for more than one sample per pixel or a
 *   BitsAllocated other than 8, 16 or 32.
 */
export function decodeRle(bytes: Uint8Array, format: PixelFormat, file: string): DecodedSamples {
  const { rows, columns, bitsAllocated, samplesPerPixel } = format;
  if (samplesPerPixel !== 1 || ![8, 16, 32].includes(bitsAllocated)) {
    throw new AxialError('DICOM_UNSUPPORTED_PIXEL_FORMAT', `RLE with SamplesPerPixel ${samplesPerPixel} and BitsAllocated ${bitsAllocated} is not supported`, {
      file,
    });
  }
  const bytesPerCell = bitsAllocated / 8;
  const pixelCount = rows * columns;
  const offsets = readSegmentOffsets(bytes, bytesPerCell, file);
  const segments = offsets.map((start, segment) => bytes.subarray(start, offsets[segment + 1] ?? bytes.length));
  // A plane is allocated per segment: refuse first a header whose segments cannot fill them.
  segments.forEach((segment, index) => {
    if (segment.length * MAX_PACKBITS_RATIO < pixelCount) {
      throw new AxialError(
        'DICOM_CORRUPT_PIXEL_DATA',
        `RLE segment ${index + 1} is ${segment.length} bytes, which PackBits expands to at most ${segment.length * MAX_PACKBITS_RATIO}, ` +
          `but its plane of ${columns}x${rows} pixels needs ${pixelCount}`,
        { file },
      );
    }
  });
  const planes = segments.map((segment, index) => unpackSegment(segment, pixelCount, index, file));

  const samples = bytesPerCell === 1 ? new Uint8Array(pixelCount) : bytesPerCell === 2 ? new Uint16Array(pixelCount) : new Uint32Array(pixelCount);
  for (let i = 0; i < pixelCount; i++) {
    let cell = 0;
    for (const plane of planes) cell = cell * 256 + (plane[i] as number);
    samples[i] = cell;
  }
  return { columns, rows, componentCount: 1, samples };
}

function readSegmentOffsets(bytes: Uint8Array, segmentsExpected: number, file: string): number[] {
  if (bytes.length < HEADER_BYTES) {
    throw new AxialError('DICOM_CORRUPT_PIXEL_DATA', `RLE frame is ${bytes.length} bytes, shorter than its ${HEADER_BYTES}-byte header`, { file });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const segmentCount = view.getUint32(0, true);
  if (segmentCount !== segmentsExpected) {
    throw new AxialError(
      'DICOM_CORRUPT_PIXEL_DATA',
      `RLE header lists ${segmentCount} segments; this image needs ${segmentsExpected} (one per byte of each sample)`,
      { file },
    );
  }
  const offsets: number[] = [];
  for (let segment = 0; segment < Math.min(segmentCount, MAX_SEGMENTS); segment++) {
    const offset = view.getUint32(4 + 4 * segment, true);
    const previous = offsets[segment - 1] ?? HEADER_BYTES - 1;
    if (offset <= previous || offset >= bytes.length) {
      throw new AxialError(
        'DICOM_CORRUPT_PIXEL_DATA',
        `RLE segment ${segment + 1} starts at byte ${offset}, outside the ${bytes.length}-byte frame or before the segment it follows`,
        { file },
      );
    }
    offsets.push(offset);
  }
  return offsets;
}

/**
 * PackBits (PS3.5 G.3.1): a header byte n of 0..127 copies the next n+1 bytes, -1..-127 repeats
 * the next byte 1-n times, -128 does nothing. Output beyond one plane is padding and is dropped.
 */
function unpackSegment(segment: Uint8Array, length: number, index: number, file: string): Uint8Array {
  const plane = new Uint8Array(length);
  let read = 0;
  let written = 0;
  while (written < length && read < segment.length) {
    const header = ((segment[read++] as number) << 24) >> 24;
    if (header >= 0) {
      const count = header + 1;
      if (read + count > segment.length) break;
      plane.set(segment.subarray(read, read + Math.min(count, length - written)), written);
      read += count;
      written += count;
    } else if (header !== -128) {
      if (read >= segment.length) break;
      const count = 1 - header;
      plane.fill(segment[read++] as number, written, Math.min(written + count, length));
      written += count;
    }
  }
  if (written < length) {
    throw new AxialError('DICOM_CORRUPT_PIXEL_DATA', `RLE segment ${index + 1} holds ${Math.min(written, length)} of the ${length} bytes of its plane`, {
      file,
    });
  }
  return plane;
}
