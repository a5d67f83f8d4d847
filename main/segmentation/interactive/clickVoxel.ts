import { worldToIndex } from '../../../core/geometry/indexToWorld.js';
import type { Vec3, VolumeGeometry } from '../../../core/geometry/types.js';

/**
 * The voxel a click lands in: the nearest voxel centre to its LPS position (a viewer's click picks the voxel
 * under the cursor, and MONAI Label's clients send that voxel's integer index). Undefined when the point is
 * outside the grid (more than half a voxel beyond the first or last centre).
 */
export function clickVoxel(grid: VolumeGeometry, world: Vec3): Vec3 | undefined {
  const index = worldToIndex(grid, world);
  const voxel = index.map((v) => Math.round(v)) as unknown as Vec3;
  return voxel.every((v, a) => v >= 0 && v < grid.dimensions[a]!) ? voxel : undefined;
}
