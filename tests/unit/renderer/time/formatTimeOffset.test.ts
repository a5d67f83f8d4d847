import { describe, expect, it } from 'vitest';
import { formatTimeOffset } from '../../../../renderer/time/formatTimeOffset.js';

describe('formatTimeOffset', () => {
  it('gives a time point seconds from the first: one decimal for steps of a second or more', () => {
    expect(formatTimeOffset(0, 2)).toBe('0.0 s');
    expect(formatTimeOffset(1, 2)).toBe('2.0 s');
    expect(formatTimeOffset(39, 2.5)).toBe('97.5 s');
  });

  it('keeps short steps apart without a float’s noise', () => {
    // 0.1 as float32 pixdim[4] is 0.10000000149011612; 3 × 0.8 is 2.4000000000000004 in doubles.
    expect(formatTimeOffset(3, 0.8)).toBe('2.40 s');
    expect(formatTimeOffset(7, 0.10000000149011612)).toBe('0.70 s');
    expect(formatTimeOffset(3, 0.05)).toBe('0.150 s');
  });
});
