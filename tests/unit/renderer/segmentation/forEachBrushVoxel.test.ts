import { describe, expect, it } from 'vitest';
import { indexToWorld } from '../../../../core/geometry/indexToWorld.js';
import type { Axis, Mat3, Vec3 } from '../../../../core/geometry/types.js';
import { brushTolerance, forEachBrushVoxel, type BrushDab } from '../../../../renderer/segmentation/forEachBrushVoxel.js';
import type { SegmentationGrid } from '../../../../renderer/segmentation/types.js';

const identity: Mat3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
const c = Math.cos(0.5);
const s = Math.sin(0.5);
/** Rotated about z, then tilted about x: every axis oblique. */
const oblique: Mat3 = [
  [c, s * Math.cos(0.3), s * Math.sin(0.3)],
  [-s, c * Math.cos(0.3), c * Math.sin(0.3)],
  [0, -Math.sin(0.3), Math.cos(0.3)],
];
/** j leans 30° towards i (gantry-tilt style shear): axes not orthogonal. */
const sheared: Mat3 = [
  [1, 0, 0],
  [Math.sin(Math.PI / 6), Math.cos(Math.PI / 6), 0],
  [0, 0.2 / Math.hypot(0.2, 1), 1 / Math.hypot(0.2, 1)],
];

function covered(grid: SegmentationGrid, dab: BrushDab): number[] {
  const out: number[] = [];
  forEachBrushVoxel(grid, dab, (n) => out.push(n));
  return out.sort((a, b) => a - b);
}

/** Every voxel tested by its world distance, as the definition says. */
function bruteForce(grid: SegmentationGrid, dab: BrushDab): number[] {
  const geometry = { ...grid, origin: [0, 0, 0] as Vec3 };
  const [ni, nj, nk] = grid.dimensions;
  const centre = [...dab.centre] as [number, number, number];
  if (dab.shape === 'disc') centre[dab.planeAxis] = Math.round(centre[dab.planeAxis]);
  const cw = indexToWorld(geometry, centre);
  const nearest = centre.map(Math.round);
  const r2 = dab.radiusMm ** 2 * (1 + brushTolerance);
  const out: number[] = [];
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++) {
        const index = [i, j, k] as const;
        if (dab.shape === 'disc' && index[dab.planeAxis] !== centre[dab.planeAxis]) continue;
        const w = indexToWorld(geometry, index);
        const d2 = (w[0] - cw[0]) ** 2 + (w[1] - cw[1]) ** 2 + (w[2] - cw[2]) ** 2;
        if (d2 <= r2 || (i === nearest[0] && j === nearest[1] && k === nearest[2])) out.push(i + ni * (j + nj * k));
      }
    }
  }
  return out;
}

const grids: [string, Mat3][] = [
  ['axis-aligned', identity],
  ['oblique', oblique],
  ['sheared', sheared],
];

describe('forEachBrushVoxel', () => {
  for (const [name, direction] of grids) {
    const grid: SegmentationGrid = { dimensions: [24, 22, 9], spacing: [1, 1, 3], direction };
    for (const planeAxis of [0, 1, 2] as Axis[]) {
      it(`disc of 5 mm on a 1×1×3 mm ${name} grid, plane axis ${planeAxis}: exactly the voxels within 5 mm`, () => {
        const dab: BrushDab = { centre: [11.3, 10.6, 4.2], radiusMm: 5, shape: 'disc', planeAxis };
        const got = covered(grid, dab);
        expect(got).toEqual(bruteForce(grid, dab));
        expect(new Set(got).size).toBe(got.length);
        expect(got.length).toBeGreaterThan(planeAxis === 2 ? 60 : 20);
      });
    }
    it(`sphere of 5 mm on a 1×1×3 mm ${name} grid: exactly the voxels within 5 mm`, () => {
      const dab: BrushDab = { centre: [11.3, 10.6, 4.2], radiusMm: 5, shape: 'sphere', planeAxis: 2 };
      const got = covered(grid, dab);
      expect(got).toEqual(bruteForce(grid, dab));
      expect(got.length).toBeGreaterThan(150);
    });
    it(`clips to the volume (${name})`, () => {
      const dab: BrushDab = { centre: [0.4, 21.2, 8.4], radiusMm: 6, shape: 'sphere', planeAxis: 2 };
      expect(covered(grid, dab)).toEqual(bruteForce(grid, dab));
    });
  }

  it('counts integer-aligned rim voxels as inside (a 5 mm disc on a 1 mm grid has 81 voxels)', () => {
    const grid: SegmentationGrid = { dimensions: [20, 20, 3], spacing: [1, 1, 1], direction: identity };
    expect(covered(grid, { centre: [10, 10, 1], radiusMm: 5, shape: 'disc', planeAxis: 2 })).toHaveLength(81);
  });

  it('covers the voxel holding the centre even when the brush is smaller than a voxel', () => {
    const grid: SegmentationGrid = { dimensions: [5, 5, 5], spacing: [2, 2, 2], direction: identity };
    expect(covered(grid, { centre: [2.4, 1.6, 3], radiusMm: 0.1, shape: 'sphere', planeAxis: 2 })).toEqual([2 + 5 * 2 + 25 * 3]);
    expect(covered(grid, { centre: [2.4, 1.6, 7], radiusMm: 0.1, shape: 'disc', planeAxis: 2 })).toEqual([]);
  });
});
