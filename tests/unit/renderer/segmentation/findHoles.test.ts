import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../../core/geometry/types.js';
import { findHoles } from '../../../../renderer/segmentation/findHoles.js';
import { floodComponents, neighbourSteps, randomSource } from './segmentationFixtures.js';

const dims: Vec3 = [12, 11, 10];
const at = (i: number, j: number, k: number) => i + dims[0] * (j + dims[1] * k);
const noLocks = new Uint8Array(65536);

/** Sets value on the voxels of a box (inclusive bounds). */
function box(layer: Uint8Array, lo: Vec3, hi: Vec3, value: number): void {
  for (let k = lo[2]; k <= hi[2]; k++) for (let j = lo[1]; j <= hi[1]; j++) for (let i = lo[0]; i <= hi[0]; i++) layer[at(i, j, k)] = value;
}

describe('findHoles', () => {
  it('finds the inside of a hollow cube in 3D, and nothing per slice when its walls are open in-plane', () => {
    const layer = new Uint8Array(dims[0] * dims[1] * dims[2]);
    box(layer, [2, 2, 2], [8, 8, 8], 1);
    box(layer, [3, 3, 3], [7, 7, 7], 0);
    box(layer, [4, 4, 4], [5, 5, 5], 2); // another segment inside: filled over too
    const holes = findHoles({ layer, dimensions: dims, value: 1, lockedValues: noLocks });
    expect(holes).toHaveLength(5 * 5 * 5);
    expect(holes[0]).toBe(at(3, 3, 3));
    expect([...holes].every((n, k) => k === 0 || n > holes[k - 1]!)).toBe(true);
    // Per axial slice, the cube's middle slices are rings: their insides are holes too.
    expect(findHoles({ layer, dimensions: dims, value: 1, lockedValues: noLocks, planeAxis: 2 })).toHaveLength(5 * 5 * 5);
    // A hole in the lid joins the inside to the outside in 3D.
    layer[at(5, 5, 8)] = 0;
    expect(findHoles({ layer, dimensions: dims, value: 1, lockedValues: noLocks })).toHaveLength(0);
  });

  it("leaves a locked segment's voxels inside a hole alone", () => {
    const layer = new Uint8Array(dims[0] * dims[1] * dims[2]);
    box(layer, [2, 2, 2], [8, 8, 8], 1);
    box(layer, [3, 3, 3], [7, 7, 7], 0);
    box(layer, [4, 4, 4], [5, 5, 5], 2);
    const locked = new Uint8Array(65536);
    locked[2] = 1;
    expect(findHoles({ layer, dimensions: dims, value: 1, lockedValues: locked })).toHaveLength(125 - 8);
  });

  it("fills a ring's inside per slice but not an open C shape; 4-connectivity in the plane", () => {
    const layer = new Uint8Array(dims[0] * dims[1] * dims[2]);
    // A square ring in slice k = 3 (inside 3×3) and a C (ring with a gap) in slice k = 6.
    for (const k of [3, 6]) {
      box(layer, [1, 1, k], [5, 5, k], 1);
      box(layer, [2, 2, k], [4, 4, k], 0);
    }
    layer[at(5, 3, 6)] = 0;
    const holes = findHoles({ layer, dimensions: dims, value: 1, lockedValues: noLocks, planeAxis: 2 });
    expect([...holes]).toEqual([2, 3, 4].flatMap((j) => [2, 3, 4].map((i) => at(i, j, 3))));
    // Same in 3D: the C's inside reaches the border, the ring's inside is open above and below.
    expect(findHoles({ layer, dimensions: dims, value: 1, lockedValues: noLocks })).toHaveLength(0);
    // A ring whose corner is cut diagonally still closes the inside under 4-connectivity.
    const diamond = new Uint8Array(dims[0] * dims[1] * dims[2]);
    for (const [i, j] of [
      [5, 2],
      [4, 3],
      [6, 3],
      [3, 4],
      [7, 4],
      [4, 5],
      [6, 5],
      [5, 6],
    ] as const)
      diamond[at(i, j, 0)] = 1;
    const inside = findHoles({ layer: diamond, dimensions: dims, value: 1, lockedValues: noLocks, planeAxis: 2 });
    expect([...inside]).toEqual([at(5, 3, 0), at(4, 4, 0), at(5, 4, 0), at(6, 4, 0), at(5, 5, 0)]);
  });

  it('works per slice across i and j too, up to the volume border', () => {
    const layer = new Uint8Array(dims[0] * dims[1] * dims[2]);
    // A ring in the sagittal plane i = 4 touching the j = 0 border: its inside is still enclosed.
    box(layer, [4, 0, 0], [4, 4, 4], 1);
    box(layer, [4, 1, 1], [4, 3, 3], 0);
    expect(findHoles({ layer, dimensions: dims, value: 1, lockedValues: noLocks, planeAxis: 0 })).toHaveLength(9);
    expect(findHoles({ layer, dimensions: dims, value: 1, lockedValues: noLocks, planeAxis: 1 })).toHaveLength(0);
  });

  it('agrees with a plain flood from the border on random masks, in 3D and per slice across each axis', () => {
    const random = randomSource(99);
    const size: Vec3 = [14, 13, 9];
    const count = size[0] * size[1] * size[2];
    const locked = new Uint8Array(65536);
    locked[5] = 1;
    for (let trial = 0; trial < 6; trial++) {
      const layer = Uint8Array.from({ length: count }, () => (random() < 0.55 ? 1 : random() < 0.3 ? 5 : random() < 0.5 ? 2 : 0));
      for (const planeAxis of [undefined, 0, 1, 2] as const) {
        const labels = floodComponents(size, (n) => layer[n] !== 1, neighbourSteps('face', planeAxis));
        const outside = new Set<number>();
        for (let k = 0; k < size[2]; k++) {
          for (let j = 0; j < size[1]; j++) {
            for (let i = 0; i < size[0]; i++) {
              const index = [i, j, k] as const;
              const border = index.some((x, a) => a !== planeAxis && (x === 0 || x === size[a]! - 1));
              const n = i + size[0] * (j + size[1] * k);
              if (border && labels[n]! >= 0) outside.add(labels[n]!);
            }
          }
        }
        const expected: number[] = [];
        for (let n = 0; n < count; n++) if (labels[n]! >= 0 && !outside.has(labels[n]!) && layer[n] !== 5) expected.push(n);
        const got = findHoles({ layer, dimensions: size, value: 1, lockedValues: locked, planeAxis });
        expect([...got], `trial ${trial}, plane axis ${planeAxis}`).toEqual(expected);
      }
    }
  });
});
