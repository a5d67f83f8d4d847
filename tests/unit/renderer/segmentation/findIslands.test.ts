import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../../core/geometry/types.js';
import { findIslands } from '../../../../renderer/segmentation/findIslands.js';
import { floodComponents, neighbourSteps, randomSource } from './segmentationFixtures.js';

const dims: Vec3 = [20, 16, 12];
const at = (i: number, j: number, k: number) => i + dims[0] * (j + dims[1] * k);

/**
 * Components of value 3: a 4×4×4 block (64), a 3×3×1 plate (9), a diagonal
 * chain of 4 voxels joined only by corners (4, one component under
 * 26-connectivity), a lone voxel (1), and a block of another value beside it.
 */
function mask(): Uint16Array {
  const layer = new Uint16Array(dims[0] * dims[1] * dims[2]);
  for (let k = 1; k <= 4; k++) for (let j = 1; j <= 4; j++) for (let i = 1; i <= 4; i++) layer[at(i, j, k)] = 3;
  for (let j = 10; j <= 12; j++) for (let i = 10; i <= 12; i++) layer[at(i, j, 8)] = 3;
  for (let s = 0; s < 4; s++) layer[at(14 + s, 2 + s, 2 + s)] = 3;
  layer[at(19, 15, 11)] = 3;
  for (let i = 5; i <= 8; i++) layer[at(i, 1, 1)] = 7;
  return layer;
}

describe('findIslands', () => {
  it('drops the components smaller than minVoxels (26-connected)', () => {
    const layer = mask();
    expect(findIslands({ layer, dimensions: dims, value: 3, keep: { minVoxels: 2 } })).toHaveLength(1);
    expect(findIslands({ layer, dimensions: dims, value: 3, keep: { minVoxels: 5 } })).toHaveLength(1 + 4);
    expect(findIslands({ layer, dimensions: dims, value: 3, keep: { minVoxels: 10 } })).toHaveLength(1 + 4 + 9);
    expect(findIslands({ layer, dimensions: dims, value: 3, keep: { minVoxels: 64 } })).toHaveLength(1 + 4 + 9);
    expect(findIslands({ layer, dimensions: dims, value: 3, keep: { minVoxels: 65 } })).toHaveLength(78);
    expect(findIslands({ layer, dimensions: dims, value: 7, keep: { minVoxels: 5 } })).toHaveLength(4);
  });

  it('keeps only the largest component', () => {
    const layer = mask();
    const dropped = findIslands({ layer, dimensions: dims, value: 3, keep: 'largest' });
    expect(dropped).toHaveLength(14);
    expect([...dropped]).toContain(at(19, 15, 11));
    expect([...dropped]).toContain(at(15, 3, 3));
    expect([...dropped]).not.toContain(at(1, 1, 1));
    expect(findIslands({ layer, dimensions: dims, value: 9, keep: 'largest' })).toHaveLength(0);
  });

  it('agrees with a plain 26-connected flood on random masks', () => {
    const random = randomSource(5);
    const size: Vec3 = [15, 12, 10];
    const count = size[0] * size[1] * size[2];
    for (let trial = 0; trial < 6; trial++) {
      const density = 0.05 + trial * 0.04;
      const layer = Uint8Array.from({ length: count }, () => (random() < density ? 4 : random() < 0.2 ? 1 : 0));
      const labels = floodComponents(size, (n) => layer[n] === 4, neighbourSteps('full'));
      const sizes = new Map<number, number>();
      for (const l of labels) if (l >= 0) sizes.set(l, (sizes.get(l) ?? 0) + 1);
      expect(sizes.size).toBeGreaterThan(3);
      for (const minVoxels of [2, 4, 10]) {
        const expected: number[] = [];
        for (let n = 0; n < count; n++) if (labels[n]! >= 0 && sizes.get(labels[n]!)! < minVoxels) expected.push(n);
        expect([...findIslands({ layer, dimensions: size, value: 4, keep: { minVoxels } })], `trial ${trial}`).toEqual(expected);
      }
      const largest = [...sizes.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
      const dropped = findIslands({ layer, dimensions: size, value: 4, keep: 'largest' });
      expect(dropped.length).toBe(count - [...labels].filter((l) => l < 0).length - sizes.get(largest)!);
    }
  });
});
