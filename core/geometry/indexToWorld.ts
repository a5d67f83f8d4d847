import type { Vec3, VolumeGeometry } from './types.js';
import { triple } from './vec3.js';

/** The part of a volume's geometry that maps index to world. */
export type IndexGeometry = Omit<VolumeGeometry, 'dimensions'>;

/** LPS world position (mm) of a continuous voxel index: origin + Σₐ direction[a] · spacing[a] · index[a] (voxel centres at integers). */
export function indexToWorld(geometry: IndexGeometry, index: Vec3): Vec3 {
  const { origin: o, spacing: s, direction: d } = geometry;
  const a = index[0] * s[0];
  const b = index[1] * s[1];
  const c = index[2] * s[2];
  return [o[0] + d[0][0] * a + d[1][0] * b + d[2][0] * c, o[1] + d[0][1] * a + d[1][1] * b + d[2][1] * c, o[2] + d[0][2] * a + d[1][2] * b + d[2][2] * c];
}

/**
 * Continuous voxel index of an LPS world position; the inverse of {@link indexToWorld}.
 * @throws RangeError when the direction axes are degenerate.
 */
export function worldToIndex(geometry: IndexGeometry, world: Vec3): Vec3 {
  const { origin: o, spacing: s, direction: d } = geometry;
  // Columns of M are the scaled axes; solve M · index = world − origin by Cramer's rule.
  const m0: Vec3 = [d[0][0] * s[0], d[0][1] * s[0], d[0][2] * s[0]];
  const m1: Vec3 = [d[1][0] * s[1], d[1][1] * s[1], d[1][2] * s[1]];
  const m2: Vec3 = [d[2][0] * s[2], d[2][1] * s[2], d[2][2] * s[2]];
  const r: Vec3 = [world[0] - o[0], world[1] - o[1], world[2] - o[2]];
  const det = triple(m0, m1, m2);
  // Judged on the unit axes, as createVolume judges them, so that a fine grid (sub-µm voxels) is not taken for a flat one.
  if (!(Math.abs(triple(d[0], d[1], d[2])) >= 1e-6) || det === 0 || !Number.isFinite(det)) throw new RangeError('direction axes are degenerate');
  return [triple(r, m1, m2) / det, triple(m0, r, m2) / det, triple(m0, m1, r) / det];
}
