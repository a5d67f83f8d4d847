import { indexToPixel, type ViewPlane } from './ViewPlane.js';
import type { Vec3 } from '../../core/geometry/types.js';
import { add } from '../../core/geometry/vec3.js';

/** A position or direction on a view's screen, in (continuous) pixels. */
export interface PixelVector {
  readonly row: number;
  readonly column: number;
}

/** Where a view draws its crosshair: the point, and the unit pixel direction of each other plane's line through it (null where parallel). */
export interface CrosshairLines {
  readonly centre: PixelVector;
  readonly directions: readonly (PixelVector | null)[];
}

/**
 * The crosshair of a view: the crosshair point projected onto its plane, and
 * the direction of each other plane's intersection with it. A direction is
 * worked out in index space: of the other plane's two steps, the combination
 * that stays on this plane (zero normal offset), in this plane's pixels.
 */
export function crosshairLines(plane: ViewPlane, others: readonly ViewPlane[], point: Vec3): CrosshairLines {
  const at = indexToPixel(plane, point);
  const zero = indexToPixel(plane, plane.origin);
  const linear = (step: Vec3) => {
    const p = indexToPixel(plane, add(plane.origin, step));
    return { row: p.row - zero.row, column: p.column - zero.column, offset: p.offset - zero.offset };
  };
  const directions = others.map((other): PixelVector | null => {
    const a = linear(other.columnStep);
    const b = linear(other.rowStep);
    const row = b.offset * a.row - a.offset * b.row;
    const column = b.offset * a.column - a.offset * b.column;
    const length = Math.hypot(row, column);
    if (length < 1e-9) return null;
    // A consistent sense, so a line does not flip ends as it turns past vertical.
    const sign = column < -1e-12 || (Math.abs(column) <= 1e-12 && row < 0) ? -1 : 1;
    return { row: (sign * row) / length, column: (sign * column) / length };
  });
  return { centre: { row: at.row, column: at.column }, directions };
}
