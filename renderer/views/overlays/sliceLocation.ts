import type { VolumeHeader } from '../../../core/contract.js';
import { indexToWorld } from '../../../core/geometry/indexToWorld.js';
import type { Vec3 } from '../../../core/geometry/types.js';
import { cross, dot, subtract, unit } from '../../../core/geometry/vec3.js';
import { pixelToIndex, type ViewPlane } from '../../geometry/ViewPlane.js';

/**
 * Where a view's plane lies along its own normal, in LPS mm: the plane's centre projected on the unit
 * normal that points the way the view's slices go forward (towards superior for axial, anterior for
 * coronal, the patient's left for sagittal). For a plain axial DICOM series this is the slice's z, as
 * SliceLocation gives it. The normal is the cross product of the plane's own world axes, so a sheared
 * (gantry-tilted) volume, whose slice axis is not perpendicular to its slices, still gets the distance
 * along the true normal.
 */
export function sliceLocation(header: Pick<VolumeHeader, 'origin' | 'spacing' | 'direction'>, plane: ViewPlane): number {
  const at = (index: Vec3): Vec3 => indexToWorld(header, index);
  const centre = pixelToIndex(plane, (plane.rows - 1) / 2, (plane.columns - 1) / 2);
  const world = at(centre);
  const step = (offset: Vec3): Vec3 => subtract(at([centre[0] + offset[0], centre[1] + offset[1], centre[2] + offset[2]]), world);
  const normal = unit(cross(step(plane.columnStep), step(plane.rowStep)));
  const forward = dot(normal, step(plane.normalStep)) < 0 ? -1 : 1;
  return forward * dot(world, normal);
}
