import { planeAxes, type PlaneAxes } from '../geometry/planeAxes.js';
import type { ViewName } from '../geometry/types.js';

/** Each view's standard axes (its slices) in a volume. */
export function viewAxesOf(header: Parameters<typeof planeAxes>[0]): Record<ViewName, PlaneAxes> {
  return { axial: planeAxes(header, 'axial'), coronal: planeAxes(header, 'coronal'), sagittal: planeAxes(header, 'sagittal') };
}
