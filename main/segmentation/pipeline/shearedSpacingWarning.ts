import { dot } from '../../../core/geometry/vec3.js';
import type { Mat3, Vec3 } from '../../../core/geometry/types.js';

/** How far (a fraction of the target voxel) a sheared axis may carry its far voxel before MONAI's grid differs. */
const tolerance = 0.01;

/**
 * What to say about Spacingd on a sheared grid (a gantry-tilted CT, a sheared NIfTI sform). MONAI's Spacing
 * (`zoom_affine(..., diagonal=False)`) keeps only the rotation of the affine (the Q of its QR decomposition, axis i's
 * direction first, then j's and k's made perpendicular to the ones before) and resamples onto that orthogonal grid
 * with the full affine; Axial's Spacingd resamples each axis on its own and so keeps the shear: its network grid and
 * every voxel off the first axis may differ from MONAI's (0.66 % of an audit's phantom's labels, 2.2 % of a 19° sheared
 * scan's). The run goes on, and the warning says so: a tilted head CT is common, and refusing it would leave no result.
 * Axis b's tilt from MONAI's is the angle between it and its
 * component perpendicular to the axes before it; the shear is allowed while no axis carries its far voxel more than
 * 1% of a target voxel away (float noise in a DICOM's direction cosines stays far below).
 * @param grid - the grid Spacingd is given (after Orientationd).
 * @param target - Spacingd's voxel size on each axis (spacingGrid's spacing).
 * @returns the warning, naming the axis, its angle and how far it carries its far voxel; undefined for an unsheared grid.
 */
export function shearedSpacingWarning(grid: { dimensions: Vec3; spacing: Vec3; direction: Mat3 }, target: Vec3): string | undefined {
  const { dimensions, spacing, direction } = grid;
  // R's columns (Cholesky of the axes' Gram matrix, as MONAI takes it): axis b's components along the earlier perpendicular axes.
  const r: number[][] = [[], [], []];
  for (let b = 0; b < 3; b++) {
    let along = 0;
    for (let a = 0; a < b; a++) {
      r[a]![b] = (dot(direction[a]!, direction[b]!) - r.slice(0, a).reduce((s, row) => s + row[a]! * row[b]!, 0)) / r[a]![a]!;
      along += r[a]![b]! ** 2;
    }
    r[b]![b] = Math.sqrt(Math.max(0, dot(direction[b]!, direction[b]!) - along));
    const sine = Math.sqrt(along);
    const reach = (dimensions[b]! - 1) * spacing[b]! * sine;
    if (reach <= tolerance * target[b]!) continue;
    const degrees = (Math.asin(Math.min(1, sine)) * 180) / Math.PI;
    return (
      `the scan's grid is sheared (a gantry tilt or a sheared affine): its axis ${b} is ${degrees.toFixed(2)}° off perpendicular, ` +
      `moving its far voxels ${reach.toFixed(2)} mm. Spacingd resampled it along its own axes, where MONAI resamples onto a ` +
      `perpendicular grid, so labels near edges may differ from MONAI's`
    );
  }
  return undefined;
}
