import { describe, expect, it } from 'vitest';
import { quantiseInto, storedPixelFormat } from '../../../../renderer/data/storedPixels.js';

describe('storedPixelFormat and quantiseInto', () => {
  it('hands 8- and 16-bit integers to cornerstone unchanged, over their actual range', () => {
    expect(storedPixelFormat('int16', [-1024, 1839])).toEqual({
      quantised: false,
      slope: 1,
      intercept: 0,
      minStored: -1024,
      maxStored: 1839,
      storage: 'int16',
    });
    expect(storedPixelFormat('uint8', [3, 200])).toMatchObject({ quantised: false, minStored: 0, maxStored: 255, storage: 'uint8' });
  });

  it('quantises floats to 16 bits so that stored · slope + intercept comes back within half a step', () => {
    const range: [number, number] = [-3.5, 92.55];
    const format = storedPixelFormat('float32', range);
    expect(format).toMatchObject({ quantised: true, intercept: -3.5, minStored: 0, maxStored: 65535, storage: 'uint16' });
    const values = Float32Array.from([-3.5, 0, 12.25, 92.55, Number.NaN, 200]);
    const stored = new Uint16Array(values.length);
    quantiseInto(values, values.length, format, stored);
    for (let n = 0; n < 4; n++) expect(Math.abs(stored[n]! * format.slope + format.intercept - values[n]!)).toBeLessThanOrEqual(format.slope / 2 + 1e-6);
    expect(stored[4]).toBe(0);
    expect(stored[5]).toBe(65535);
  });

  it('keeps exact unit steps for 32-bit integers whose range fits 16 bits', () => {
    const format = storedPixelFormat('int32', [100000, 100500]);
    expect(format).toMatchObject({ slope: 1, intercept: 100000, maxStored: 500 });
    const stored = new Uint16Array(2);
    quantiseInto(Int32Array.from([100000, 100321]), 2, format, stored);
    expect([...stored]).toEqual([0, 321]);
  });
});
