import { describe, expect, it } from 'vitest';
import { indexToWorld, worldToIndex, type IndexGeometry } from '../../../../core/geometry/indexToWorld.js';
import type { Mat3 } from '../../../../core/geometry/types.js';

const grid = (direction: Mat3): IndexGeometry => ({ spacing: [0.5, 0.8, 3], origin: [10, -20, 30], direction });

describe('indexToWorld / worldToIndex', () => {
  it('places voxel (1, 2, 3) of an axial LPS volume by spacing from the origin', () => {
    expect(
      indexToWorld(
        grid([
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ]),
        [1, 2, 3],
      ),
    ).toEqual([10.5, -18.4, 39]);
  });

  it('inverts exactly on an oblique, sheared grid', () => {
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    const g = grid([
      [c, s, 0],
      [-s, c, 0],
      [0, 0.2, Math.sqrt(1 - 0.04)],
    ]);
    const back = worldToIndex(g, indexToWorld(g, [1.25, -2, 7.5]));
    [1.25, -2, 7.5].forEach((x, a) => expect(back[a]).toBeCloseTo(x, 10));
  });

  it('inverts on a fine grid (10 nm voxels), which is not a flat one', () => {
    const fine: IndexGeometry = {
      spacing: [1e-5, 1e-5, 1e-5],
      origin: [1, 2, 3],
      direction: grid([
        [0, 1, 0],
        [1, 0, 0],
        [0, 0, 1],
      ]).direction,
    };
    const back = worldToIndex(fine, indexToWorld(fine, [10, 20, 30]));
    [10, 20, 30].forEach((x, a) => expect(back[a]).toBeCloseTo(x, 6));
  });

  it('refuses degenerate axes', () => {
    const flat = grid([
      [1, 0, 0],
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(() => worldToIndex(flat, [0, 0, 0])).toThrow(RangeError);
  });
});
