import { describe, expect, it } from 'vitest';
import { AxialError } from '../../../../main/errors/AxialError.js';
import { decodeRle } from '../../../../main/dicom/codecs/decodeRle.js';
import { decodeFrame } from '../../../../main/dicom/decodeFrame.js';
import type { PixelFormat } from '../../../../main/dicom/PixelFormat.js';

const RLE_LOSSLESS = '1.2.840.10008.1.2.5';

function format(rows: number, columns: number, bitsAllocated: number, pixelRepresentation: 0 | 1 = 0): PixelFormat {
  return {
    rows,
    columns,
    bitsAllocated,
    bitsStored: bitsAllocated,
    highBit: bitsAllocated - 1,
    pixelRepresentation,
    samplesPerPixel: 1,
    photometricInterpretation: 'MONOCHROME2',
    planarConfiguration: 0,
    numberOfFrames: 1,
  };
}

/**
 * The RLE Header (PS3.5 G.5): 16 little-endian uint32s, the number of segments then the offset
 * of each from the start of the frame, unused ones 0. Segments follow, the first at byte 64.
 */
function rleFrame(segments: number[][], declaredCount = segments.length): Uint8Array {
  const header = new DataView(new ArrayBuffer(64));
  header.setUint32(0, declaredCount, true);
  let offset = 64;
  segments.forEach((segment, i) => {
    header.setUint32(4 + 4 * i, offset, true);
    offset += segment.length;
  });
  return new Uint8Array([...new Uint8Array(header.buffer), ...segments.flat()]);
}

function rejection(run: () => unknown): AxialError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AxialError);
    expect((error as AxialError).code).toBe('DICOM_CORRUPT_PIXEL_DATA');
    return error as AxialError;
  }
  throw new Error('expected decodeRle to throw');
}

describe('decodeRle', () => {
  it('unpacks literal and replicate runs of an 8-bit image', () => {
    const frame = rleFrame([
      [
        0x02,
        10,
        20,
        30, // literal: header 2 copies the next 3 bytes
        0xfe,
        40, // replicate: header -2 repeats the next byte 1 - (-2) = 3 times
      ],
    ]);
    const decoded = decodeRle(frame, format(2, 3, 8), 'eight.dcm');
    expect(decoded).toMatchObject({ rows: 2, columns: 3, componentCount: 1 });
    expect(decoded.samples).toEqual(new Uint8Array([10, 20, 30, 40, 40, 40]));
  });

  it('skips the no-op header -128 and the padding after a full plane', () => {
    const frame = rleFrame([
      [
        0x80, // -128: no operation
        0x00,
        7, // literal of 1
        0x81,
        9, // replicate: -127 repeats 9 128 times, more than the 2 bytes left; the rest is dropped
        0x00, // padding to an even length
      ],
    ]);
    expect(decodeRle(frame, format(1, 3, 8), 'noop.dcm').samples).toEqual(new Uint8Array([7, 9, 9]));
  });

  it('interleaves the byte planes of a 16-bit image, most significant first', () => {
    // Cells 0x0102, 0x0304, 0xFF00, 0x00FF.
    const frame = rleFrame([
      [0x03, 0x01, 0x03, 0xff, 0x00], // segment 1, high bytes: literal of 4
      [0x01, 0x02, 0x04, 0x00, 0x00, 0x00, 0xff], // segment 2, low bytes: literal of 2, then two literals of 1
    ]);
    expect(decodeRle(frame, format(2, 2, 16), 'sixteen.dcm').samples).toEqual(new Uint16Array([0x0102, 0x0304, 0xff00, 0x00ff]));
  });

  it('builds 32-bit cells from four planes', () => {
    const frame = rleFrame([
      [0x00, 0xde], // bits 31-24
      [0x00, 0xad], // bits 23-16
      [0x00, 0xbe], // bits 15-8
      [0x00, 0xef], // bits 7-0
    ]);
    expect(decodeRle(frame, format(1, 1, 32), 'wide.dcm').samples).toEqual(new Uint32Array([0xdeadbeef]));
  });

  it('gives signed stored values through decodeFrame', async () => {
    // Cells 0xFC18 (-1000) and 0x03E8 (1000).
    const frame = rleFrame([
      [0x01, 0xfc, 0x03],
      [0x01, 0x18, 0xe8],
    ]);
    expect(await decodeFrame(RLE_LOSSLESS, frame, format(1, 2, 16, 1), 'signed.dcm')).toEqual(new Int16Array([-1000, 1000]));
  });

  it('refuses a frame shorter than its header', () => {
    expect(rejection(() => decodeRle(new Uint8Array(63), format(1, 1, 8), 'short.dcm')).message).toMatch(/^short\.dcm: .*63 bytes/);
  });

  it('refuses a segment count that does not match BitsAllocated', () => {
    const frame = rleFrame([[0x00, 1]]);
    expect(rejection(() => decodeRle(frame, format(1, 1, 16), 'count.dcm')).message).toMatch(/1 segments; this image needs 2/);
  });

  it('refuses a segment offset outside the frame or out of order', () => {
    const frame = rleFrame([
      [0x00, 1],
      [0x00, 2],
    ]);
    const beyond = frame.slice();
    new DataView(beyond.buffer).setUint32(8, 500, true); // segment 2 at byte 500 of 68
    expect(rejection(() => decodeRle(beyond, format(1, 1, 16), 'beyond.dcm')).message).toMatch(/segment 2 starts at byte 500/);
    const backwards = frame.slice();
    new DataView(backwards.buffer).setUint32(8, 64, true); // segment 2 where segment 1 starts
    expect(rejection(() => decodeRle(backwards, format(1, 1, 16), 'backwards.dcm')).message).toMatch(/segment 2 starts at byte 64/);
  });

  it('refuses a segment that decodes to less than a plane', () => {
    const frame = rleFrame([[0xfe, 5]]); // 3 bytes of a 4-byte plane
    expect(rejection(() => decodeRle(frame, format(2, 2, 8), 'few.dcm')).message).toMatch(/segment 1 holds 3 of the 4 bytes/);
  });

  it('refuses a segment too short to expand to its plane before allocating the plane', () => {
    // 64 bytes of PackBits make 64 x 64 = 4096 bytes at most; the header says 65535 x 65535.
    const frame = rleFrame([new Array<number>(32).fill(0).flatMap(() => [0x81, 7])]);
    expect(rejection(() => decodeRle(frame, format(65535, 65535, 8), 'huge.dcm')).message).toMatch(
      /segment 1 is 64 bytes, which PackBits expands to at most 4096, .* needs 4294836225/,
    );
    // The same segment does fill a plane of exactly 4096 bytes.
    expect(decodeRle(frame, format(64, 64, 8), 'exact.dcm').samples.every((value) => value === 7)).toBe(true);
  });

  it('refuses a literal run that passes the end of its segment', () => {
    const frame = rleFrame([[0x05, 1, 2]]); // promises 6 bytes, has 2
    expect(rejection(() => decodeRle(frame, format(2, 3, 8), 'literal.dcm')).message).toMatch(/segment 1 holds 0 of the 6 bytes/);
  });

  it('refuses a replicate run without its byte', () => {
    const frame = rleFrame([[0x00, 1, 0xff]]); // literal 1, then -1 with nothing to repeat
    expect(rejection(() => decodeRle(frame, format(1, 3, 8), 'replicate.dcm')).message).toMatch(/segment 1 holds 1 of the 3 bytes/);
  });

  it('refuses colour', () => {
    const colour = { ...format(1, 1, 8), samplesPerPixel: 3 };
    expect(() => decodeRle(rleFrame([[0], [0], [0]]), colour, 'rgb.dcm')).toThrow(expect.objectContaining({ code: 'DICOM_UNSUPPORTED_PIXEL_FORMAT' }));
  });
});
