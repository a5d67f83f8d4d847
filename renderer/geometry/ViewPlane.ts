import type { OrientationMarkers, PlaneAxes } from './planeAxes.js';
import type { Axis, Vec3 } from '../../core/geometry/types.js';
import { subtract, triple } from '../../core/geometry/vec3.js';

/**
 * The plane a view shows, in continuous voxel-index space (voxel centres at
 * integers): screen pixel (row, column)'s centre is voxel index
 * `origin + column · columnStep + row · rowStep`. An axis-aligned view's
 * steps are ±1 along two index axes; an oblique (rotated) view's are any
 * vectors, with the same mm length per step along rows and columns.
 */
export interface ViewPlane {
  readonly rows: number;
  readonly columns: number;
  /** Continuous voxel index of the centre of screen pixel (0, 0). */
  readonly origin: Vec3;
  /** Index-space step one screen column to the right. */
  readonly columnStep: Vec3;
  /** Index-space step one screen row down. */
  readonly rowStep: Vec3;
  /** Index-space step one slice "forward" (towards superior / anterior / the patient's left for the three standard views). */
  readonly normalStep: Vec3;
  /** mm per column step and per row step. */
  readonly columnSpacing: number;
  readonly rowSpacing: number;
  /**
   * mm between the plane and the next one, a normal step on: across the planes, which on a sheared grid
   * (a gantry-tilted CT's standard planes) is shorter than the step itself, since the step leans.
   */
  readonly normalSpacing: number;
  readonly markers: OrientationMarkers;
}

/** The plane of an axis-aligned view at slice `slice`: the same pixel ↔ voxel map as {@link PlaneAxes}. */
export function viewPlaneOf(axes: PlaneAxes, slice: number): ViewPlane {
  const unit = (axis: number, sign: number): Vec3 => [axis === 0 ? sign : 0, axis === 1 ? sign : 0, axis === 2 ? sign : 0];
  const origin = [0, 0, 0];
  origin[axes.columnAxis] = axes.columnFlip ? axes.columns - 1 : 0;
  origin[axes.rowAxis] = axes.rowFlip ? axes.rows - 1 : 0;
  origin[axes.sliceAxis] = slice;
  return {
    rows: axes.rows,
    columns: axes.columns,
    origin: [origin[0]!, origin[1]!, origin[2]!],
    columnStep: unit(axes.columnAxis, axes.columnFlip ? -1 : 1),
    rowStep: unit(axes.rowAxis, axes.rowFlip ? -1 : 1),
    normalStep: unit(axes.sliceAxis, axes.sliceForward),
    columnSpacing: axes.columnSpacing,
    rowSpacing: axes.rowSpacing,
    normalSpacing: axes.sliceSpacing,
    markers: axes.markers,
  };
}

/**
 * The index slice along `sliceAxis` that a plane lies in: its in-plane steps do not move along that axis and
 * its origin is a whole slice (a standard plane, or one of a sheared grid's slices resampled onto square
 * pixels); null for a turned plane, which cuts across slices.
 */
export function indexSliceOf(plane: ViewPlane, sliceAxis: Axis): number | null {
  const slice = Math.round(plane.origin[sliceAxis]);
  const flat = Math.abs(plane.columnStep[sliceAxis]) < 1e-9 && Math.abs(plane.rowStep[sliceAxis]) < 1e-9;
  return flat && Math.abs(plane.origin[sliceAxis] - slice) < 1e-6 ? slice : null;
}

/** Continuous voxel index at a (continuous) screen pixel position; pixel centres are at integers. */
export function pixelToIndex(plane: ViewPlane, row: number, column: number): Vec3 {
  const { origin: o, columnStep: c, rowStep: r } = plane;
  return [o[0] + column * c[0] + row * r[0], o[1] + column * c[1] + row * r[1], o[2] + column * c[2] + row * r[2]];
}

/**
 * Screen position (row, column) of a voxel index, and its distance from the
 * plane in normal steps (0 on the plane); the inverse of {@link pixelToIndex}.
 * @throws RangeError when the plane's steps are degenerate.
 */
export function indexToPixel(plane: ViewPlane, index: Vec3): { row: number; column: number; offset: number } {
  const d = subtract(index, plane.origin);
  const { columnStep: c, rowStep: r, normalStep: n } = plane;
  const det = triple(c, r, n);
  if (Math.abs(det) < 1e-12) throw new RangeError('the view plane is degenerate');
  return { column: triple(d, r, n) / det, row: triple(c, d, n) / det, offset: triple(c, r, d) / det };
}
