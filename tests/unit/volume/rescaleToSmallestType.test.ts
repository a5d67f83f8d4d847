import { describe, expect, it } from 'vitest';
import { rescaleToSmallestType } from '../../../main/volume/rescaleToSmallestType.js';

describe('rescaleToSmallestType', () => {
  it('keeps the stored array for an identity map', () => {
    const stored = new Uint16Array([1, 2, 3]);
    expect(rescaleToSmallestType(stored, [{ slope: 1, intercept: 0, length: 3 }])).toBe(stored);
  });

  it('turns 12-bit unsigned CT with intercept -1024 into int16 HU in the same buffer', () => {
    const stored = new Uint16Array([0, 1024, 4095]);
    const out = rescaleToSmallestType(stored, [{ slope: 1, intercept: -1024, length: 3 }]);
    expect(out).toBeInstanceOf(Int16Array);
    expect(out.buffer).toBe(stored.buffer);
    expect(Array.from(out)).toEqual([-1024, 0, 3071]);
  });

  it('widens when the real range needs it, and uses float32 for fractional slopes', () => {
    const wide = rescaleToSmallestType(new Int16Array([-32768, 32767]), [{ slope: 1, intercept: -1024, length: 2 }]);
    expect(wide).toBeInstanceOf(Int32Array);
    expect(Array.from(wide)).toEqual([-33792, 31743]);
    const fractional = rescaleToSmallestType(new Uint8Array([0, 10]), [{ slope: 2.5, intercept: 0.25, length: 2 }]);
    expect(fractional).toBeInstanceOf(Float32Array);
    expect(Array.from(fractional)).toEqual([0.25, 25.25]);
  });

  it('applies a different map per run (per slice)', () => {
    const out = rescaleToSmallestType(new Uint16Array([1, 2, 1, 2]), [
      { slope: 1, intercept: 0, length: 2 },
      { slope: 100, intercept: -50, length: 2 },
    ]);
    expect(Array.from(out)).toEqual([1, 2, 50, 150]);
    expect(out).toBeInstanceOf(Uint8Array);
  });
});
