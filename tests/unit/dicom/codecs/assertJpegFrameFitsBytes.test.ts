import { describe, expect, it } from 'vitest';
import { assertJpegFrameFitsBytes } from '../../../../main/dicom/codecs/assertJpegFrameFitsBytes.js';
import type { JpegFrameHeader } from '../../../../main/dicom/codecs/readJpegFrameHeader.js';
import { AxialError } from '../../../../main/errors/AxialError.js';

function header(sofMarker: number, columns: number, rows: number): JpegFrameHeader {
  return { sofMarker, precision: 16, rows, columns, componentCount: 1 };
}

function codeOf(run: () => void): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AxialError);
    return (error as AxialError).code;
  }
  return undefined;
}

describe('assertJpegFrameFitsBytes', () => {
  // Each bound exactly met passes; one byte fewer is refused.
  it.each([
    ['sequential DCT (SOF0): two bits a block', 0xc0, 64, 64, 16], // 64 blocks x 2 bits = 16 bytes
    ['extended DCT (SOF1): two bits a block', 0xc1, 9, 9, 1], // 4 blocks (crop blocks count whole) x 2 bits = 1 byte
    ['progressive DCT (SOF2): a bit a block', 0xc2, 64, 64, 8],
    ['lossless (SOF3): a bit a sample', 0xc3, 64, 64, 512],
    ['JPEG-LS (SOF55): a bit a line', 0xf7, 1, 800, 100],
    ['JPEG-LS (SOF55): 2^15 samples a bit', 0xf7, 65536, 8, 2],
  ])('%s', (_name, sof, columns, rows, bytes) => {
    expect(codeOf(() => assertJpegFrameFitsBytes(header(sof, columns, rows), bytes, 'fits.dcm'))).toBeUndefined();
    expect(codeOf(() => assertJpegFrameFitsBytes(header(sof, columns, rows), bytes - 1, 'short.dcm'))).toBe('DICOM_CORRUPT_PIXEL_DATA');
  });

  it('names the file, the claimed size and the bytes', () => {
    expect(() => assertJpegFrameFitsBytes(header(0xc3, 65535, 65535), 194609, 'big.dcm')).toThrow(
      /^big\.dcm: the JPEG frame header claims 65535x65535 pixels, which need 4294836225 samples of at least a bit, but the frame holds 194609 bytes/,
    );
  });

  it.each([0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf])('refuses SOF%#x (arithmetic-coded or hierarchical), which has no such bound', (sof) => {
    expect(codeOf(() => assertJpegFrameFitsBytes(header(sof, 8, 8), 1_000_000, 'arith.dcm'))).toBe('DICOM_UNSUPPORTED_TRANSFER_SYNTAX');
  });
});
