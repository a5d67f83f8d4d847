import { describe, expect, it } from 'vitest';
import { createCells16Rescaler } from '../../../main/dicom/createCells16Rescaler.js';
import type { PixelFormat } from '../../../main/dicom/PixelFormat.js';

/** The per-voxel JavaScript pass the SIMD one replaced (loadDicomVolume's writeNativeCells), into `Type`. */
function reference(
  cells: Uint16Array,
  format: PixelFormat,
  slope: number,
  intercept: number,
  Type: Int16ArrayConstructor | Uint16ArrayConstructor,
): Int16Array | Uint16Array {
  const shift = format.highBit + 1 - format.bitsStored;
  const unused = 32 - format.bitsStored;
  const mask = 0xffffffff >>> unused;
  const out = new Type(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const stored = format.pixelRepresentation === 1 ? ((cells[i]! >>> shift) << unused) >> unused : (cells[i]! >>> shift) & mask;
    out[i] = stored * slope + intercept;
  }
  return out;
}

function format(bitsStored: number, highBit: number, pixelRepresentation: 0 | 1): PixelFormat {
  return {
    rows: 256,
    columns: 256,
    bitsAllocated: 16,
    bitsStored,
    highBit,
    pixelRepresentation,
    samplesPerPixel: 1,
    photometricInterpretation: 'MONOCHROME2',
    planarConfiguration: 0,
    numberOfFrames: 1,
  };
}

describe('createCells16Rescaler', () => {
  // Every 16-bit cell once (256 x 256), with overlay and garbage bits above BitsStored.
  const cells = Uint16Array.from({ length: 65536 }, (_, i) => i);
  const cases: [string, PixelFormat, number, number, Int16ArrayConstructor | Uint16ArrayConstructor][] = [
    ['unsigned 12-bit CT, intercept -1024', format(12, 11, 0), 1, -1024, Int16Array],
    ['signed 16-bit, identity', format(16, 15, 1), 1, 0, Int16Array],
    ['signed 12-bit, slope 2, intercept 5', format(12, 11, 1), 2, 5, Int16Array],
    ['unsigned 10 bits at high bit 13, slope -3, intercept 100', format(10, 13, 0), -3, 100, Int16Array],
    ['unsigned 16-bit, identity', format(16, 15, 0), 1, 0, Uint16Array],
    ['unsigned 8 bits in 16, slope 3, intercept 7', format(8, 7, 0), 3, 7, Uint16Array],
    ['signed 1 bit', format(1, 0, 1), 1, 0, Int16Array],
  ];
  it.each(cases)('gives the JavaScript pass’s values for every cell: %s', (_, f, slope, intercept, Type) => {
    const rescaler = createCells16Rescaler(3, cells.byteLength);
    rescaler.slot(2).set(new Uint8Array(cells.buffer));
    const values = rescaler.rescale(2, cells.length, f, { slope, intercept }, Type);
    expect(values).toBeInstanceOf(Type);
    const want = reference(cells, f, slope, intercept, Type);
    let mismatches = 0;
    for (let i = 0; i < want.length; i++) if (values[i] !== want[i]) mismatches++;
    expect(mismatches).toBe(0);
    expect(values.length).toBe(65536);
  });

  it('rescales a frame whose size is not a multiple of 8 cells without touching the next slot', () => {
    const rescaler = createCells16Rescaler(2, 7 * 2);
    expect(rescaler.slotBytes).toBe(16);
    rescaler.slot(0).set(new Uint8Array(Uint16Array.of(1, 2, 3, 4, 5, 6, 7).buffer));
    rescaler.slot(1).fill(0xab);
    expect(Array.from(rescaler.rescale(0, 7, format(12, 11, 0), { slope: 1, intercept: -1024 }, Int16Array))).toEqual([
      -1023, -1022, -1021, -1020, -1019, -1018, -1017,
    ]);
    expect(Array.from(rescaler.slot(1))).toEqual(new Array<number>(16).fill(0xab));
  });

  it('holds slots past one WebAssembly page (64 KiB)', () => {
    const rescaler = createCells16Rescaler(5, 512 * 512 * 2);
    const last = rescaler.slot(4);
    expect(last.length).toBe(512 * 512 * 2);
    new Uint16Array(last.buffer, last.byteOffset, 512 * 512).fill(0xf123);
    const values = rescaler.rescale(4, 512 * 512, format(12, 11, 0), { slope: 1, intercept: -1024 }, Int16Array);
    expect(values[0]).toBe(0x123 - 1024);
    expect(values[512 * 512 - 1]).toBe(0x123 - 1024);
  });
});
