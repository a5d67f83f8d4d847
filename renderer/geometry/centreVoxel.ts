import { nearestWorldAxes } from './nearestWorldAxes.js';
import type { Vec3, VolumeGeometry } from '../../core/geometry/types.js';

/**
 * The voxel at the middle of the volume. Along an axis with an even count
 * there are two middle voxels; the one towards the patient's right,
 * anterior or inferior (negative LPS) is taken, so the same scan stored in
 * any axis order or flip opens at the same anatomy.
 */
export function centreVoxel(geometry: Pick<VolumeGeometry, 'dimensions' | 'direction'>): Vec3 {
  const { sign } = nearestWorldAxes(geometry.direction);
  const middle = (n: number, towardsPositive: boolean): number => {
    const m = (n - 1) / 2;
    return towardsPositive ? Math.floor(m) : Math.ceil(m);
  };
  const [ni, nj, nk] = geometry.dimensions;
  return [middle(ni, sign[0] > 0), middle(nj, sign[1] > 0), middle(nk, sign[2] > 0)];
}
