import { AxialError } from '../../errors/AxialError.js';
import type { JpegHuffmanLookup } from './buildJpegHuffmanTable.js';
import { idctJpegIslow } from './idctJpegIslow.js';
import { JpegBitReader } from './JpegBitReader.js';

/**
 * The zig-zag order (T.81 Figure A.6): entry k is the natural index of the k-th coefficient.
 * Sixteen extra 63s absorb a zero run that runs past the end of a block, as in libjpeg's
 * jpeg_natural_order, rather than writing outside it.
 */
const NATURAL_ORDER = Int32Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22,
  15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
]);

/** What decodeJpegScan needs from the frame header, the tables and the scan header. */
export interface JpegScanParams {
  bytes: Uint8Array;
  /** The first byte of entropy-coded data, just after the SOS segment. */
  start: number;
  width: number;
  height: number;
  precision: number;
  dcTable: JpegHuffmanLookup;
  acTable: JpegHuffmanLookup;
  /** Quantization steps in natural order. */
  quantization: Uint16Array;
  /** MCUs between restart markers (DRI), 0 for none. */
  restartInterval: number;
  /** Receives width x height samples, row by row. */
  samples: Uint8Array | Uint16Array;
  file: string;
}

/**
 * Decodes the single scan of a one-component sequential DCT frame, one 8x8 block per MCU, left
 * to right and top to bottom, into `samples`; blocks that overhang the right or bottom edge
 * are cropped.
 *
 * @returns the position of the marker that ends the scan, or the input's length if none does.
 * @throws AxialError DICOM_CORRUPT_PIXEL_DATA when the data runs out before the last block, a
 *   code is not in its Huffman table, or a restart marker is missing or out of sequence.
 */
export function decodeJpegScan(params: JpegScanParams): number {
  const { bytes, start, width, height, precision, dcTable, acTable, quantization, restartInterval, samples, file } = params;
  const corrupt = (message: string): AxialError => new AxialError('DICOM_CORRUPT_PIXEL_DATA', `JPEG scan: ${message}`, { file });
  const reader = new JpegBitReader(bytes, start);
  const blocksWide = Math.ceil(width / 8);
  const blockCount = blocksWide * Math.ceil(height / 8);
  const coefficients = new Int16Array(64);
  const block = new Int32Array(64);
  let predictor = 0;

  for (let index = 0; index < blockCount; index++) {
    if (restartInterval > 0 && index > 0 && index % restartInterval === 0) {
      if (reader.overrun) throw corrupt(`the data ends before block ${index} of ${blockCount}: the stream is truncated`);
      const expected = 0xd0 + ((index / restartInterval - 1) & 7);
      const marker = reader.leaveSegment();
      if (marker !== expected) {
        throw corrupt(
          `expected restart marker RST${expected - 0xd0} before block ${index} of ${blockCount}, ` +
            `found ${marker < 0 ? 'the end of the data' : `FF${marker.toString(16).toUpperCase()}`}`,
        );
      }
      reader.position += 2;
      predictor = 0;
    }

    coefficients.fill(0);
    const dcSize = reader.decodeSymbol(dcTable);
    if (dcSize < 0) throw corrupt(`block ${index} starts with a bit pattern that is no code of its DC Huffman table`);
    predictor = (predictor + reader.receiveExtend(dcSize)) | 0;
    coefficients[0] = predictor;
    for (let k = 1; k < 64; k++) {
      const symbol = reader.decodeSymbol(acTable);
      if (symbol < 0) throw corrupt(`block ${index} holds a bit pattern that is no code of its AC Huffman table`);
      const size = symbol & 15;
      const run = symbol >> 4;
      if (size === 0) {
        if (run !== 15) break;
        k += 15;
      } else {
        k += run;
        coefficients[NATURAL_ORDER[k] as number] = reader.receiveExtend(size);
      }
    }
    if (reader.overrun)
      throw corrupt(`the entropy-coded data ends (at a marker or the end of the stream) in block ${index} of ${blockCount}: the stream is truncated`);

    idctJpegIslow(coefficients, quantization, precision, block);
    writeBlock(block, samples, width, height, (index % blocksWide) * 8, Math.floor(index / blocksWide) * 8);
  }
  reader.leaveSegment();
  return reader.position;
}

function writeBlock(block: Int32Array, samples: Uint8Array | Uint16Array, width: number, height: number, x0: number, y0: number): void {
  const columns = Math.min(8, width - x0);
  const rows = Math.min(8, height - y0);
  for (let row = 0; row < rows; row++) {
    const to = (y0 + row) * width + x0;
    for (let column = 0; column < columns; column++) samples[to + column] = block[row * 8 + column] as number;
  }
}
