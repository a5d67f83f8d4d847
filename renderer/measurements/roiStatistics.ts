import type { Measurement, RoiStats } from '../../core/contract.js';
import { worldToIndex } from '../../core/geometry/indexToWorld.js';
import type { NumericArray } from '../../core/voxels/NumericArray.js';
import type { Vec3, VolumeGeometry } from '../../core/geometry/types.js';
import { createPlaneProjector, inverseOfColumns, worldOnPlane } from './measurementPlane.js';
import { dot, scale, subtract } from '../../core/geometry/vec3.js';

type Shape = Pick<Measurement, 'kind' | 'points' | 'plane'>;

/** A region in its plane's (column, row) coordinates: a bounding box and an inside test. */
export interface PlaneRegion {
  readonly minColumn: number;
  readonly maxColumn: number;
  readonly minRow: number;
  readonly maxRow: number;
  inside(column: number, row: number): boolean;
}

/**
 * The region an ellipse or freehand measurement encloses, in its plane's
 * coordinates; null for a line or an angle. The ellipse is closed
 * (s² + t² ≤ 1 for d = s·u + t·v); the polygon uses the even-odd rule.
 * @throws RangeError when the plane or the ellipse is degenerate.
 */
export function planeRegionOf(shape: Shape): PlaneRegion | null {
  const project = createPlaneProjector(shape.plane);
  const flat = shape.points.map((p) => project(p));
  if (shape.kind === 'ellipse') {
    const [c, uEnd, vEnd] = flat as [ReturnType<typeof project>, ReturnType<typeof project>, ReturnType<typeof project>];
    const u = [uEnd.column - c.column, uEnd.row - c.row] as const;
    const v = [vEnd.column - c.column, vEnd.row - c.row] as const;
    const det = u[0] * v[1] - u[1] * v[0];
    if (!(Math.abs(det) > 1e-12)) throw new RangeError('the ellipse is degenerate');
    const halfWidth = Math.hypot(u[0], v[0]);
    const halfHeight = Math.hypot(u[1], v[1]);
    return {
      minColumn: c.column - halfWidth,
      maxColumn: c.column + halfWidth,
      minRow: c.row - halfHeight,
      maxRow: c.row + halfHeight,
      inside(column, row) {
        const dc = column - c.column;
        const dr = row - c.row;
        const s = (dc * v[1] - dr * v[0]) / det;
        const t = (u[0] * dr - u[1] * dc) / det;
        return s * s + t * t <= 1;
      },
    };
  }
  if (shape.kind !== 'freehand') return null;
  const xs = Float64Array.from(flat, (p) => p.column);
  const ys = Float64Array.from(flat, (p) => p.row);
  const minRow = Math.min(...ys);
  const bins = edgeBins(xs, ys, minRow);
  return {
    minColumn: Math.min(...xs),
    maxColumn: Math.max(...xs),
    minRow,
    maxRow: Math.max(...ys),
    inside: (column, row) => insidePolygon(xs, ys, bins[Math.floor(row - minRow)] ?? [], column, row),
  };
}

/**
 * The polygon's edges (edge a joins vertex a − 1 to vertex a) binned by the
 * unit row bands they span, so a point's crossing test looks only at the
 * edges of its band: a long freehand outline costs no more than a short one.
 */
function edgeBins(xs: Float64Array, ys: Float64Array, minRow: number): number[][] {
  const bins: number[][] = [];
  for (let a = 0, b = xs.length - 1; a < xs.length; b = a++) {
    const from = Math.floor(Math.min(ys[a]!, ys[b]!) - minRow);
    const to = Math.floor(Math.max(ys[a]!, ys[b]!) - minRow);
    for (let bin = from; bin <= to; bin++) (bins[bin] ??= []).push(a);
  }
  return bins;
}

/** Even-odd rule: a ray from (x, y) towards +column crosses the outline an odd number of times. */
function insidePolygon(xs: Float64Array, ys: Float64Array, edges: readonly number[], x: number, y: number): boolean {
  let inside = false;
  for (const a of edges) {
    const b = a === 0 ? xs.length - 1 : a - 1;
    const ya = ys[a]!;
    const yb = ys[b]!;
    if (ya > y !== yb > y && x < ((xs[b]! - xs[a]!) * (y - ya)) / (yb - ya) + xs[a]!) inside = !inside;
  }
  return inside;
}

/**
 * The voxels an ROI counts, as linear indices (i fastest), ascending: those
 * whose centres lie within half a normal step of the measurement's plane
 * (−½ ≤ offset < ½, in steps of the plane's normal vector) and whose
 * projection along that normal lies inside the shape. On an axis-aligned
 * view this is exactly the shown slice's voxels whose centres fall inside.
 * The work is the region's area in voxels, however the plane is turned: along
 * the index axis nearest the normal only the few voxels of the slab are visited.
 * @throws RangeError when the plane or the shape is degenerate, or when the
 *   normal step is longer than a voxel's diagonal (no view of this volume has
 *   one: a plane from another volume, or a hand-edited file).
 */
export function roiVoxels(geometry: VolumeGeometry, shape: Shape): Int32Array {
  const region = planeRegionOf(shape);
  if (!region) return new Int32Array(0);
  const {
    dimensions: [ni, nj],
    spacing: s,
    direction: d,
    origin: o,
  } = geometry;
  const { plane } = shape;
  if (!(Math.hypot(...plane.normal) <= Math.hypot(...s) * (1 + 1e-9))) throw new RangeError("the measurement plane is not one of this volume's views");
  // Plane coordinates q = A · index + b, with A = P⁻¹ · M (M: scaled index axes, P: the plane's column, row, normal).
  const inverse = inverseOfColumns(plane.column, plane.row, plane.normal);
  const axes = [0, 1, 2].map((a) => scale(d[a]!, s[a]!));
  const apply = (v: Vec3): Vec3 => [dot(inverse[0], v), dot(inverse[1], v), dot(inverse[2], v)];
  const a = axes.map(apply) as [Vec3, Vec3, Vec3];
  const b = apply(subtract(o, plane.origin));
  const box = indexBox(geometry, shape, region);
  // w: the index axis that moves the offset most; u and v the other two, walked over the box.
  const w = [0, 1, 2].reduce((best, axis) => (Math.abs(a[axis]![2]) > Math.abs(a[best]![2]) ? axis : best), 0);
  const [u, v] = [0, 1, 2].filter((axis) => axis !== w) as [number, number];
  const [a0, a1, a2] = a;
  const aw = a[w]!;
  const found: number[] = [];
  const index = [0, 0, 0];
  for (let iv = box.min[v]!; iv <= box.max[v]!; iv++) {
    index[v] = iv;
    for (let iu = box.min[u]!; iu <= box.max[u]!; iu++) {
      index[u] = iu;
      index[w] = 0;
      // The offset is linear in the w index: the slab's w range, widened by one for rounding, then tested exactly.
      const offset0 = b[2] + a0[2] * index[0]! + a1[2] * index[1]! + a2[2] * index[2]!;
      const ends = [(-0.5 - offset0) / aw[2], (0.5 - offset0) / aw[2]];
      const from = Math.max(box.min[w]!, Math.floor(Math.min(ends[0]!, ends[1]!)) - 1);
      const to = Math.min(box.max[w]!, Math.ceil(Math.max(ends[0]!, ends[1]!)) + 1);
      for (let iw = from; iw <= to; iw++) {
        index[w] = iw;
        const i = index[0]!;
        const j = index[1]!;
        const k = index[2]!;
        // Summed in i, j, k order, as ever: a voxel centre exactly on the outline falls the same side whatever the walk.
        const offset = b[2] + a0[2] * i + a1[2] * j + a2[2] * k;
        if (offset < -0.5 || offset >= 0.5) continue;
        const column = b[0] + a0[0] * i + a1[0] * j + a2[0] * k;
        const row = b[1] + a0[1] * i + a1[1] * j + a2[1] * k;
        if (column < region.minColumn || column > region.maxColumn || row < region.minRow || row > region.maxRow) continue;
        if (region.inside(column, row)) found.push(i + ni * (j + nj * k));
      }
    }
  }
  return Int32Array.from(found).sort();
}

/** The voxel-index box (clipped to the grid) that holds the region's slab, ±½ normal step around the plane. */
function indexBox(geometry: VolumeGeometry, shape: Shape, region: PlaneRegion): { min: Vec3; max: Vec3 } {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  const n = shape.plane.normal;
  for (const column of [region.minColumn, region.maxColumn]) {
    for (const row of [region.minRow, region.maxRow]) {
      for (const offset of [-0.5, 0.5]) {
        const w = worldOnPlane(shape.plane, column, row);
        const index = worldToIndex(geometry, [w[0] + offset * n[0], w[1] + offset * n[1], w[2] + offset * n[2]]);
        for (let a = 0; a < 3; a++) {
          min[a] = Math.min(min[a]!, index[a]!);
          max[a] = Math.max(max[a]!, index[a]!);
        }
      }
    }
  }
  const dims = geometry.dimensions;
  const lo = (a: number): number => Math.max(0, Math.floor(min[a]! - 1e-6));
  const hi = (a: number): number => Math.min(dims[a]! - 1, Math.ceil(max[a]! + 1e-6));
  return { min: [lo(0), lo(1), lo(2)], max: [hi(0), hi(1), hi(2)] };
}

/**
 * Count, mean, population SD (numpy's default, ddof 0), min and max of the
 * scan's real values (e.g. HU) over an ROI's voxels ({@link roiVoxels});
 * null statistics for an empty region.
 */
export function roiStatistics(geometry: VolumeGeometry, voxels: NumericArray, shape: Shape): RoiStats {
  const indices = roiVoxels(geometry, shape);
  const count = indices.length;
  if (count === 0) return { voxels: 0, mean: null, sd: null, min: null, max: null };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let n = 0; n < count; n++) {
    const value = voxels[indices[n]!]!;
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const mean = sum / count;
  let squares = 0;
  for (let n = 0; n < count; n++) squares += (voxels[indices[n]!]! - mean) ** 2;
  return { voxels: count, mean, sd: Math.sqrt(squares / count), min, max };
}
