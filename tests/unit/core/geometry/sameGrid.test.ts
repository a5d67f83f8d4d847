import { describe, expect, it } from 'vitest';
import { sameGrid } from '../../../../core/geometry/sameGrid.js';
import type { VolumeGeometry } from '../../../../core/geometry/types.js';

const base: VolumeGeometry = {
  dimensions: [48, 48, 24],
  spacing: [1, 1, 2],
  origin: [-23.5, -23.5, -23],
  direction: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
};

describe('sameGrid', () => {
  it('takes a header rounded in the sixth decimal as the same grid, and a shift of 0.01 mm, a tenth of a degree or another size as another', () => {
    expect(sameGrid(base, { ...base, spacing: [1.000001, 1, 2] })).toBe(true);
    expect(sameGrid(base, { ...base, origin: [-23.49, -23.5, -23] })).toBe(false);
    const t = (0.1 * Math.PI) / 180;
    const tilted: VolumeGeometry = {
      ...base,
      direction: [
        [Math.cos(t), Math.sin(t), 0],
        [-Math.sin(t), Math.cos(t), 0],
        [0, 0, 1],
      ],
    };
    expect(sameGrid(base, tilted)).toBe(false);
    expect(sameGrid(base, { ...base, dimensions: [48, 48, 23] })).toBe(false);
    // The same voxels stored from the other end along k: other indices, another grid.
    const flipped: VolumeGeometry = {
      ...base,
      origin: [-23.5, -23.5, 23],
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, -1],
      ],
    };
    expect(sameGrid(base, flipped)).toBe(false);
  });
});
