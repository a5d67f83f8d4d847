import type { Measurement } from '../../core/contract.js';
import type { VolumeGeometry } from '../../core/geometry/types.js';
import type { ViewPlane } from '../geometry/ViewPlane.js';
import { projectToView } from './projectToView.js';

/**
 * What an ROI's statistics count, beside what its view shows. They always count the voxels whose centres lie
 * within half a slice step of the shape's plane (roiStatistics), so they are the picture's own values only on a
 * standard plane with no slab ('shown'). Under a thick slab (MIP, MinIP, mean) the picture combines many
 * slices but the statistics are of the centre one ('centreSlice'); on a resampled plane (turned, or a tilted
 * scan's sagittal) the picture is interpolated between voxels but the statistics are of the voxels on the plane
 * ('plane'); both at once, 'centrePlane'.
 */
export type RoiScope = 'shown' | 'centreSlice' | 'plane' | 'centrePlane';

/**
 * An ROI's scope: resampled when it was drawn on a plane that was not a standard one (its view named
 * "… oblique", as the drawing names it); under a slab when it lies on a plane that a view on screen shows as a
 * slab now (`slabPlanes`), and only then: an ROI on another slice, or in a view the layout hides, is not.
 */
export function roiScopeOf(
  m: Pick<Measurement, 'view' | 'kind' | 'points'>,
  slabPlanes: readonly ViewPlane[],
  geometry: Omit<VolumeGeometry, 'dimensions'>,
): RoiScope {
  const resampled = m.view.split(' ').slice(1).includes('oblique');
  const slab = slabPlanes.some((plane) => projectToView(m, geometry, plane).visible);
  if (resampled) return slab ? 'centrePlane' : 'plane';
  return slab ? 'centreSlice' : 'shown';
}
