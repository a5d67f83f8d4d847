import { AxialError } from '../../errors/AxialError.js';
import type { PixelFormat } from '../PixelFormat.js';
import type { DecodedSamples } from './DecodedSamples.js';

/**
 * Reads the pixel cells of one uncompressed (native) grayscale frame.
 *
 * Always copies: `bytes` is usually a view into the parsed file, which must stay untouched, and
 * may start at an odd offset that a 16- or 32-bit typed array could not view.
 *
 * @param byteOrder - 'big' only for Explicit VR Big Endian (1.2.840.10008.1.2.2).
 * @throws AxialError DICOM_UNSUPPORTED_PIXEL_FORMAT for BitsAllocated other than 8, 16 or 32.
 * @throws AxialError DICOM_TRUNCATED when `bytes` is shorter than Rows x Columns cells.
 */
export function decodeNative(bytes: Uint8Array, format: PixelFormat, byteOrder: 'little' | 'big', file: string): DecodedSamples {
  const { rows, columns, bitsAllocated } = format;
  if (![8, 16, 32].includes(bitsAllocated)) {
    throw new AxialError('DICOM_UNSUPPORTED_PIXEL_FORMAT', `BitsAllocated ${bitsAllocated} is not supported (only 8, 16 and 32)`, { file });
  }
  const pixelCount = rows * columns;
  const bytesPerCell = bitsAllocated / 8;
  if (bytes.length < pixelCount * bytesPerCell) {
    throw new AxialError(
      'DICOM_TRUNCATED',
      `the frame holds ${bytes.length} bytes; ${rows}x${columns} pixels of ${bitsAllocated} bits need ${pixelCount * bytesPerCell}`,
      { file },
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, pixelCount * bytesPerCell);
  const littleEndian = byteOrder === 'little';
  let samples: Uint8Array | Uint16Array | Uint32Array;
  if (bytesPerCell === 1) {
    samples = new Uint8Array(bytes.subarray(0, pixelCount));
  } else if (littleEndian) {
    // One memcpy into a fresh, aligned buffer; typed arrays read little-endian on every platform Node runs on.
    const copy = bytes.slice(0, pixelCount * bytesPerCell).buffer;
    samples = bytesPerCell === 2 ? new Uint16Array(copy) : new Uint32Array(copy);
  } else if (bytesPerCell === 2) {
    samples = new Uint16Array(pixelCount);
    for (let i = 0; i < pixelCount; i++) samples[i] = view.getUint16(2 * i, littleEndian);
  } else {
    samples = new Uint32Array(pixelCount);
    for (let i = 0; i < pixelCount; i++) samples[i] = view.getUint32(4 * i, littleEndian);
  }
  return { columns, rows, componentCount: 1, samples };
}
