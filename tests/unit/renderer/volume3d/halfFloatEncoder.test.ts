import { describe, expect, it } from 'vitest';
import { fromHalfBits, halfFloatEncoder, toHalfBits, valueEncodingOf } from '../../../../renderer/volume3d/halfFloatEncoder.js';

describe('toHalfBits', () => {
  it('encodes IEEE 754 half floats, rounding to nearest even', () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(0)).toBe(0);
    expect(toHalfBits(65504)).toBe(0x7bff);
    expect(toHalfBits(1e6)).toBe(0x7c00);
    expect(toHalfBits(0.1)).toBe(0x2e66);
    expect(toHalfBits(2 ** -24)).toBe(1); // smallest subnormal
    expect(toHalfBits(2049)).toBe(toHalfBits(2048)); // tie → even
    expect(toHalfBits(2051)).toBe(toHalfBits(2052));
    expect(Number.isNaN(fromHalfBits(toHalfBits(Number.NaN)))).toBe(true);
  });

  it('keeps every HU from −2048 to 2048 exactly, and 2 HU steps above', () => {
    for (let v = -2048; v <= 2048; v++) expect(fromHalfBits(toHalfBits(v))).toBe(v);
    expect(Math.abs(fromHalfBits(toHalfBits(3071)) - 3071)).toBeLessThanOrEqual(1);
  });
});

describe('halfFloatEncoder', () => {
  it('gives the same bits through its lookup table (int16) as value by value (float32)', () => {
    const ints = new Int16Array([-1024, -1, 0, 40, 1839, 32767, -32768]);
    const floats = Float32Array.from(ints);
    const encoding = valueEncodingOf([-32768, 32767]);
    const a = new Uint16Array(ints.length);
    const b = new Uint16Array(ints.length);
    halfFloatEncoder(ints, encoding)(0, ints.length, a);
    halfFloatEncoder(floats, encoding)(0, ints.length, b);
    expect([...a]).toEqual([...b]);
    expect([...a].map(fromHalfBits).slice(0, 5)).toEqual([-1024, -1, 0, 40, 1839]);
    const part = new Uint16Array(2);
    halfFloatEncoder(ints, encoding)(2, 4, part);
    expect([...part].map(fromHalfBits)).toEqual([0, 40]);
  });

  it('scales ranges beyond half floats into ±60000', () => {
    expect(valueEncodingOf([-1024, 3071])).toEqual({ offset: 0, scale: 1 });
    const wide = valueEncodingOf([0, 1e6]);
    expect(wide.offset).toBe(5e5);
    expect((1e6 - wide.offset) * wide.scale).toBeCloseTo(60000, 6);
  });
});
