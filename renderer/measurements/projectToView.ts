import type { Measurement } from '../../core/contract.js';
import { worldToIndex } from '../../core/geometry/indexToWorld.js';
import type { Vec3, VolumeGeometry } from '../../core/geometry/types.js';
import { indexToPixel, type ViewPlane } from '../geometry/ViewPlane.js';

/** A measurement's points on a view: screen pixel positions, and whether it lies in the plane the view shows. */
export interface ProjectedMeasurement {
  readonly pixels: readonly { readonly row: number; readonly column: number }[];
  readonly visible: boolean;
}

/** Measurements show only on planes they lie in: every point within half a normal step (a hair more, for rounding). */
const halfStep = 0.5 + 1e-6;

/**
 * Where a measurement's world points fall on a view, and whether the whole
 * shape lies within half a normal step of the view's plane. For an ellipse
 * the test covers its whole outline: the offset of c + u·cos t + v·sin t is
 * at most |off(c)| + hypot(off(u), off(v)).
 */
export function projectToView(m: Pick<Measurement, 'kind' | 'points'>, geometry: Omit<VolumeGeometry, 'dimensions'>, plane: ViewPlane): ProjectedMeasurement {
  const projected = m.points.map((p) => indexToPixel(plane, worldToIndex(geometry, p as Vec3)));
  const offsets = projected.map((p) => p.offset);
  const reach =
    m.kind === 'ellipse' ? Math.abs(offsets[0]!) + Math.hypot(offsets[1]! - offsets[0]!, offsets[2]! - offsets[0]!) : Math.max(...offsets.map(Math.abs));
  return { pixels: projected.map(({ row, column }) => ({ row, column })), visible: reach <= halfStep };
}
