import type { MeasurementPlane } from '../../core/contract.js';
import { indexToWorld } from '../../core/geometry/indexToWorld.js';
import type { Vec3, VolumeGeometry } from '../../core/geometry/types.js';
import { pixelToIndex, type ViewPlane } from '../geometry/ViewPlane.js';
import { add, cross, dot, scale, subtract, unit } from '../../core/geometry/vec3.js';

/** A position in a measurement plane's own coordinates: screen column and row of the view it was drawn in, and slices off the plane. */
export interface PlanePoint {
  readonly column: number;
  readonly row: number;
  /** Distance from the plane in normal steps (0 on it). */
  readonly offset: number;
}

/**
 * A view's plane in the world (LPS mm): the world position of its pixel
 * (0, 0) centre and the world displacement of one column, one row and one
 * slice step. So the plane's coordinates are the view's pixel coordinates.
 */
export function measurementPlaneOf(geometry: Omit<VolumeGeometry, 'dimensions'>, plane: ViewPlane): MeasurementPlane {
  const origin = indexToWorld(geometry, pixelToIndex(plane, 0, 0));
  const step = (index: Vec3): [number, number, number] => {
    const [x, y, z] = subtract(indexToWorld(geometry, add(plane.origin, index)), origin);
    return [x, y, z];
  };
  return { origin: [...origin], column: step(plane.columnStep), row: step(plane.rowStep), normal: step(plane.normalStep) };
}

/** The world point at (column, row) on the plane. */
export function worldOnPlane(plane: MeasurementPlane, column: number, row: number): [number, number, number] {
  const { origin: o, column: c, row: r } = plane;
  return [o[0] + column * c[0] + row * r[0], o[1] + column * c[1] + row * r[1], o[2] + column * c[2] + row * r[2]];
}

/**
 * A world point in the plane's coordinates: world − origin = column · C +
 * row · R + offset · N (a projection along the normal step, so a voxel
 * lands where the view shows it).
 * @throws RangeError when the plane's vectors are degenerate.
 */
export function planePointOf(plane: MeasurementPlane, world: Vec3): PlanePoint {
  return createPlaneProjector(plane)(world);
}

/**
 * {@link planePointOf} with the 3×3 inverse worked out once, for many points.
 * @throws RangeError when the plane's vectors are degenerate.
 */
export function createPlaneProjector(plane: MeasurementPlane): (world: Vec3) => PlanePoint {
  const inverse = inverseOfColumns(plane.column, plane.row, plane.normal);
  const o = plane.origin;
  return (w) => {
    const d0 = w[0] - o[0];
    const d1 = w[1] - o[1];
    const d2 = w[2] - o[2];
    return {
      column: inverse[0][0] * d0 + inverse[0][1] * d1 + inverse[0][2] * d2,
      row: inverse[1][0] * d0 + inverse[1][1] * d1 + inverse[1][2] * d2,
      offset: inverse[2][0] * d0 + inverse[2][1] * d1 + inverse[2][2] * d2,
    };
  };
}

/**
 * An orthonormal in-plane basis (mm): e1 along the columns, e2 the rows' part
 * perpendicular to e1, for areas in the plane's own 2D millimetres.
 */
export function planeBasis(plane: MeasurementPlane): { e1: Vec3; e2: Vec3 } {
  const e1 = planeUnit(plane.column);
  const along = dot(plane.row, e1);
  const e2 = planeUnit(subtract(plane.row, scale(e1, along)));
  return { e1, e2 };
}

/** Rows of the inverse of the matrix whose columns are a, b, c. @throws RangeError when it is singular. */
export function inverseOfColumns(a: Vec3, b: Vec3, c: Vec3): [Vec3, Vec3, Vec3] {
  const bc = cross(b, c);
  const det = dot(a, bc);
  if (!(Math.abs(det) > 1e-12)) throw new RangeError('the measurement plane is degenerate');
  const ca = cross(c, a);
  const ab = cross(a, b);
  return [
    [bc[0] / det, bc[1] / det, bc[2] / det],
    [ca[0] / det, ca[1] / det, ca[2] / det],
    [ab[0] / det, ab[1] / det, ab[2] / det],
  ];
}

/** v at length 1. @throws RangeError for the zero vector (a degenerate plane). */
function planeUnit(v: Vec3): Vec3 {
  if (!(Math.hypot(v[0], v[1], v[2]) > 0)) throw new RangeError('the measurement plane is degenerate');
  return unit(v);
}
