import { describe, expect, it } from 'vitest';
import { clampClipRange, clipBoxOf, fullClipRange, isFullRange } from '../../../../renderer/volume3d/clipRange.js';

const dims = [512, 512, 20] as const;

describe('clampClipRange', () => {
  it('rounds to whole voxels and keeps the range inside the volume', () => {
    expect(clampClipRange({ first: [-5, 10.4, 3.6], last: [600, 200.5, 19] }, dims)).toEqual({ first: [0, 10, 4], last: [511, 201, 19] });
    expect(clampClipRange({ first: [Number.NaN, 0, 0], last: [1, 1, 1] }, dims).first).toEqual([0, 0, 0]);
  });

  it('when the dragged end crosses the other, pushes the other along (at least one voxel stays)', () => {
    const range = { first: [300, 0, 0] as const, last: [200, 511, 19] as const };
    expect(clampClipRange(range, dims, { axis: 0, end: 'first' })).toEqual({ first: [300, 0, 0], last: [300, 511, 19] });
    expect(clampClipRange(range, dims, { axis: 0, end: 'last' })).toEqual({ first: [200, 0, 0], last: [200, 511, 19] });
  });
});

describe('clipBoxOf', () => {
  it('puts the planes half a voxel outside the first and last voxel centres', () => {
    expect(clipBoxOf(fullClipRange(dims))).toEqual({ lo: [-0.5, -0.5, -0.5], hi: [511.5, 511.5, 19.5] });
    expect(clipBoxOf({ first: [256, 0, 3], last: [511, 100, 3] })).toEqual({ lo: [255.5, -0.5, 2.5], hi: [511.5, 100.5, 3.5] });
    expect(isFullRange(fullClipRange(dims), dims)).toBe(true);
    expect(isFullRange({ first: [1, 0, 0], last: [511, 511, 19] }, dims)).toBe(false);
  });
});
