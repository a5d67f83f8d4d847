import { describe, expect, it } from 'vitest';
import { expectAxialError } from '../../expectAxialError.js';
import { decodeFrame } from '../../../main/dicom/decodeFrame.js';
import type { PixelFormat } from '../../../main/dicom/PixelFormat.js';

/** A grayscale format for hand-built frames; fields override. */
function grayscale(overrides: Partial<PixelFormat>): PixelFormat {
  return {
    rows: 512,
    columns: 512,
    bitsAllocated: 16,
    bitsStored: 16,
    highBit: 15,
    pixelRepresentation: 1,
    samplesPerPixel: 1,
    photometricInterpretation: 'MONOCHROME2',
    planarConfiguration: 0,
    numberOfFrames: 1,
    ...overrides,
  };
}

/** Deterministic noise (a 32-bit LCG), so a failure can be reproduced. */
function noise(length: number, seed: number, prefix: number[] = []): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    bytes[i] = state >>> 24;
  }
  bytes.set(prefix);
  return bytes;
}

describe('decodeFrame on garbage', () => {
  const codecs = [
    { uid: '1.2.840.10008.1.2.5', start: [] },
    { uid: '1.2.840.10008.1.2.4.50', start: [0xff, 0xd8, 0xff, 0xc0] },
    { uid: '1.2.840.10008.1.2.4.57', start: [0xff, 0xd8, 0xff, 0xc3] },
    { uid: '1.2.840.10008.1.2.4.70', start: [0xff, 0xd8] },
    { uid: '1.2.840.10008.1.2.4.80', start: [0xff, 0xd8, 0xff, 0xf7] },
    { uid: '1.2.840.10008.1.2.4.81', start: [0xff, 0xd8] },
    { uid: '1.2.840.10008.1.2.4.90', start: [0xff, 0x4f, 0xff, 0x51] },
    { uid: '1.2.840.10008.1.2.4.91', start: [] },
    { uid: '1.2.840.10008.1.2.4.201', start: [0xff, 0x4f, 0xff, 0x51] },
    { uid: '1.2.840.10008.1.2.4.203', start: [] },
  ];

  it.each(codecs)('rejects random bytes, with and without a plausible start, for $uid', async ({ uid, start }) => {
    const format = grayscale({});
    for (const [seed, length] of [
      [1, 0],
      [2, 3],
      [3, 64],
      [4, 5000],
      [5, 100_000],
    ] as const) {
      const file = `garbage-${seed}.dcm`;
      const error = await expectAxialError(decodeFrame(uid, noise(length, seed), format, file), 'DICOM_CORRUPT_PIXEL_DATA');
      expect(error.message).toContain(file);
      if (length >= start.length + 2) {
        const withStart = noise(length, seed, start);
        withStart.set([0xff, 0xd9], length - 2);
        await expectAxialError(decodeFrame(uid, withStart, format, file), 'DICOM_CORRUPT_PIXEL_DATA');
      }
    }
  });
});

describe('decodeFrame stored values', () => {
  const native = (cells: number[], bytesPerCell: 1 | 2 | 4, littleEndian = true): Uint8Array => {
    const view = new DataView(new ArrayBuffer(cells.length * bytesPerCell));
    cells.forEach((cell, i) => {
      if (bytesPerCell === 1) view.setUint8(i, cell);
      else if (bytesPerCell === 2) view.setUint16(2 * i, cell, littleEndian);
      else view.setUint32(4 * i, cell, littleEndian);
    });
    return new Uint8Array(view.buffer);
  };
  const explicitLE = '1.2.840.10008.1.2.1';

  it('keeps BitsStored 12 of 16 and drops what the high bits hold (overlay, garbage)', async () => {
    // 0xF7FF: top nibble 0xF is not pixel data; the 12 stored bits are 0x7FF = 2047.
    const cells = [0xf7ff, 0x1000, 0x0abc, 0xffff];
    const unsigned = await decodeFrame(
      explicitLE,
      native(cells, 2),
      grayscale({ rows: 1, columns: 4, bitsStored: 12, highBit: 11, pixelRepresentation: 0 }),
      'u12.dcm',
    );
    expect(unsigned).toEqual(new Uint16Array([0x7ff, 0, 0xabc, 0xfff]));
    const signed = await decodeFrame(
      explicitLE,
      native(cells, 2),
      grayscale({ rows: 1, columns: 4, bitsStored: 12, highBit: 11, pixelRepresentation: 1 }),
      's12.dcm',
    );
    // 0xABC and 0xFFF have bit 11 set: negative in 12-bit two's complement.
    expect(signed).toEqual(new Int16Array([2047, 0, 0xabc - 4096, -1]));
  });

  it('reads the stored bits from below a HighBit above BitsStored - 1', async () => {
    // HighBit 15 with 12 stored: the value sits in bits 15..4, bits 3..0 are something else.
    const values = await decodeFrame(explicitLE, native([0x7ff5, 0x8003], 2), grayscale({ rows: 1, columns: 2, bitsStored: 12, highBit: 15 }), 'h.dcm');
    expect(values).toEqual(new Int16Array([0x7ff, 0x800 - 4096]));
  });

  it('swaps bytes for big endian', async () => {
    const format = grayscale({ rows: 1, columns: 2 });
    expect(await decodeFrame('1.2.840.10008.1.2.2', native([0xfc18, 0x0102], 2, false), format, 'be.dcm')).toEqual(new Int16Array([-1000, 0x0102]));
  });

  it('reads 8-bit signed and 32-bit unsigned cells', async () => {
    const eight = await decodeFrame(
      explicitLE,
      native([0x80, 0x7f, 0xff], 1),
      grayscale({ rows: 1, columns: 3, bitsAllocated: 8, bitsStored: 8, highBit: 7 }),
      '8.dcm',
    );
    expect(eight).toEqual(new Int8Array([-128, 127, -1]));
    const wide = await decodeFrame(
      explicitLE,
      native([0xffffffff, 0x80000000], 4),
      grayscale({ rows: 1, columns: 2, bitsAllocated: 32, bitsStored: 32, highBit: 31, pixelRepresentation: 0 }),
      '32.dcm',
    );
    expect(wide).toEqual(new Uint32Array([0xffffffff, 0x80000000]));
  });

  it('does not modify the bytes it is given', async () => {
    const bytes = native([0x0102, 0x0304], 2, false);
    await decodeFrame('1.2.840.10008.1.2.2', bytes, grayscale({ rows: 1, columns: 2 }), 'be.dcm');
    expect([...bytes]).toEqual([0x01, 0x02, 0x03, 0x04]);
  });

  it.each([
    ['1.2.840.10008.1.2.4.100', /MPEG2 Main Profile \/ Main Level \(1\.2\.840\.10008\.1\.2\.4\.100\) is not supported/],
    ['1.2.840.10008.1.2.4.110', /JPEG XL Lossless/],
    ['1.2.3.4', /an unknown transfer syntax \(1\.2\.3\.4\)/],
  ])('refuses transfer syntax %s by name', async (uid, message) => {
    await expectAxialError(decodeFrame(uid, new Uint8Array(8), grayscale({}), 'x.dcm'), 'DICOM_UNSUPPORTED_TRANSFER_SYNTAX', message);
  });

  it.each([
    { samplesPerPixel: 3, photometricInterpretation: 'RGB' },
    { samplesPerPixel: 3, photometricInterpretation: 'YBR_FULL_422' },
    { samplesPerPixel: 1, photometricInterpretation: 'PALETTE COLOR' },
  ])('refuses colour: $photometricInterpretation', async (colour) => {
    const format = grayscale({ rows: 1, columns: 1, ...colour });
    await expectAxialError(
      decodeFrame(explicitLE, new Uint8Array(6), format, 'c.dcm'),
      'DICOM_UNSUPPORTED_PIXEL_FORMAT',
      new RegExp(colour.photometricInterpretation),
    );
  });

  it('refuses BitsAllocated 1 and 12', async () => {
    for (const bitsAllocated of [1, 12]) {
      const format = grayscale({ rows: 8, columns: 8, bitsAllocated, bitsStored: bitsAllocated, highBit: bitsAllocated - 1 });
      await expectAxialError(decodeFrame(explicitLE, new Uint8Array(128), format, 'b.dcm'), 'DICOM_UNSUPPORTED_PIXEL_FORMAT', /BitsAllocated/);
    }
  });
});
