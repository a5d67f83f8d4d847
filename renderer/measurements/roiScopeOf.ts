import type { Measurement } from '../../core/contract.js';

/**
 * What an ROI's statistics count, beside what its view shows. They always count the voxels whose centres lie
 * within half a slice step of the shape's plane (roiStatistics), so they are the picture's own values only on a
 * standard plane with no slab ('shown'). Under a thick slab (MIP, MinIP, mean) the picture combines many
 * slices but the statistics are of the centre one ('centreSlice'); on a turned plane the picture is resampled
 * between voxels but the statistics are of the voxels on the plane ('plane'); both at once, 'centrePlane'.
 */
export type RoiScope = 'shown' | 'centreSlice' | 'plane' | 'centrePlane';

/**
 * An ROI's scope: turned when it was drawn on a turned plane (its view named "… oblique", as the drawing
 * names it), under a slab when its view shows one now (`slabViews`: the views whose picture is a slab).
 */
export function roiScopeOf(m: Pick<Measurement, 'view'>, slabViews: readonly string[]): RoiScope {
  const [view = '', ...rest] = m.view.split(' ');
  const turned = rest.includes('oblique');
  const slab = slabViews.includes(view);
  if (turned) return slab ? 'centrePlane' : 'plane';
  return slab ? 'centreSlice' : 'shown';
}
