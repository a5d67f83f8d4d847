import { indexToWorld } from './indexToWorld.js';
import type { Vec3, VolumeGeometry } from './types.js';

/** How far apart (mm) the same voxel of two grids may lie for them to be one grid: a micrometre, what headers' rounding leaves. */
const toleranceMm = 1e-3;

/**
 * Whether two volumes share one voxel grid: the same dimensions, and the first voxel and the far end of each axis
 * (and the far corner) within a micrometre in the world. Spacing and direction are judged by where voxels land,
 * so a header's rounding does not split one grid in two.
 */
export function sameGrid(a: VolumeGeometry, b: VolumeGeometry): boolean {
  if (a.dimensions.some((n, axis) => n !== b.dimensions[axis])) return false;
  const cb = corners(b);
  return corners(a).every((p, n) => Math.hypot(p[0] - cb[n]![0], p[1] - cb[n]![1], p[2] - cb[n]![2]) <= toleranceMm);
}

function corners(grid: VolumeGeometry): Vec3[] {
  const [a, b, c] = grid.dimensions.map((n) => n - 1) as [number, number, number];
  const ends: Vec3[] = [
    [0, 0, 0],
    [a, 0, 0],
    [0, b, 0],
    [0, 0, c],
    [a, b, c],
  ];
  return ends.map((index) => indexToWorld(grid, index));
}
