import { describe, expect, it } from 'vitest';
import { formatTimeOffset } from '../../../../renderer/time/formatTimeOffset.js';

/** Every time point's text, in order. */
const texts = (offsets: readonly number[]): (string | null)[] => offsets.map((_, t) => formatTimeOffset(offsets, t));

describe('formatTimeOffset', () => {
  it('writes each time point’s own seconds from the first: uneven DCE sampling stays uneven', () => {
    expect(texts([0, 10, 20, 60, 120])).toEqual(['0.0 s', '10.0 s', '20.0 s', '60.0 s', '120.0 s']);
    expect(texts([0, 2, 4, 6])).toEqual(['0.0 s', '2.0 s', '4.0 s', '6.0 s']);
  });

  it('writes a series under a second in milliseconds: a cine’s 40 ms phases, 0.25 ms steps', () => {
    expect(texts([0, 0.04, 0.08, 0.12])).toEqual(['0 ms', '40 ms', '80 ms', '120 ms']);
    expect(texts([0, 0.00025, 0.0005, 0.00075])).toEqual(['0.00 ms', '0.25 ms', '0.50 ms', '0.75 ms']);
  });

  it('takes the decimals that write every offset exactly: 1.25 s steps read 1.25 s and 3.75 s', () => {
    expect(texts([0, 1.25, 2.5, 3.75])).toEqual(['0.00 s', '1.25 s', '2.50 s', '3.75 s']);
  });

  it('keeps 4 significant digits of the step where no decimals are exact, and leaves a float’s noise out', () => {
    expect(texts([0, 1 / 3, 2 / 3, 1])).toEqual(['0.0000 s', '0.3333 s', '0.6667 s', '1.0000 s']);
    expect(texts([0, 2.5026, 5.0052])).toEqual(['0.000 s', '2.503 s', '5.005 s']);
    // 3 × 0.8 is 2.4000000000000004 in doubles; 0.1 as float32 pixdim[4] is 0.10000000149011612.
    expect(texts([0, 0.8, 1.6, 2.4000000000000004])).toEqual(['0.0 s', '0.8 s', '1.6 s', '2.4 s']);
    expect(texts([0, 0.10000000149011612, 0.20000000298023224, 0.7000000104308128])).toEqual(['0 ms', '100 ms', '200 ms', '700 ms']);
  });

  it('keeps distinct offsets distinct', () => {
    for (const step of [0.00025, 0.0032, 0.04, 0.1, 0.333, 0.72, 1.25, 2.5, 3.2, 17.5, 1000]) {
      const offsets = Array.from({ length: 40 }, (_, t) => t * step);
      expect([step, new Set(texts(offsets)).size]).toEqual([step, 40]);
    }
  });

  it('says nothing where the offsets do not: none, too few, or not numbers', () => {
    expect(formatTimeOffset(undefined, 0)).toBeNull();
    expect(formatTimeOffset([0, 2], 2)).toBeNull();
    expect(formatTimeOffset([0, Number.NaN], 0)).toBeNull();
  });
});
