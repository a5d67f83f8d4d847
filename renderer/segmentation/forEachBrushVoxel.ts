import type { Axis, Vec3 } from '../../core/geometry/types.js';
import { gridMetric } from './gridMetric.js';
import type { SegmentationGrid } from './types.js';

/** One brush dab. */
export interface BrushDab {
  /** Continuous voxel index of the dab's centre. */
  readonly centre: Vec3;
  readonly radiusMm: number;
  /** disc: the voxels of slice round(centre[planeAxis]) only; sphere: 3D. */
  readonly shape: 'disc' | 'sphere';
  readonly planeAxis: Axis;
}

/** Relative slack on r², so voxels exactly on the rim count as inside despite rounding. */
export const brushTolerance = 1e-9;

interface RowLoop {
  readonly inner: Axis;
  readonly outer: readonly [Axis, Axis];
  /** Inclusive index ranges of the two outer axes. */
  readonly ranges: readonly [number, number, number, number];
}

/**
 * Calls `visit` with the number of every voxel a dab covers: those whose
 * centres lie within radiusMm (world distance, from spacing and direction
 * cosines) of the dab's centre, plus the voxel containing the centre so a
 * brush smaller than a voxel still paints one. A disc's centre is first
 * moved onto its slice (its planeAxis index rounded), so the disc has its
 * full radius. Only the dab's bounding box is visited, row by row, each
 * row's extent solved exactly; each voxel is visited once.
 */
export function forEachBrushVoxel(grid: SegmentationGrid, dab: BrushDab, visit: (voxel: number) => void): void {
  const dims = grid.dimensions;
  const g = gridMetric(grid);
  const r2 = dab.radiusMm * dab.radiusMm * (1 + brushTolerance);
  const c: [number, number, number] = [dab.centre[0], dab.centre[1], dab.centre[2]];
  const loop = rowLoop(dims, g, r2, c, dab);
  if (!loop) return;
  const { inner, outer } = loop;
  const [o1, o2] = outer;
  const strides = [1, dims[0], dims[0] * dims[1]] as const;
  const gaa = g[4 * inner]!;
  const nearest = c.map(Math.round);
  let nearestCovered = false;
  for (let v2 = loop.ranges[2]; v2 <= loop.ranges[3]; v2++) {
    const d2 = v2 - c[o2];
    for (let v1 = loop.ranges[0]; v1 <= loop.ranges[1]; v1++) {
      const d1 = v1 - c[o1];
      const b = g[3 * inner + o1]! * d1 + g[3 * inner + o2]! * d2;
      const rest = g[4 * o1]! * d1 * d1 + 2 * g[3 * o1 + o2]! * d1 * d2 + g[4 * o2]! * d2 * d2;
      const disc = b * b - gaa * (rest - r2);
      if (disc < 0) continue;
      const root = Math.sqrt(disc);
      const lo = Math.max(0, Math.ceil(c[inner] + (-b - root) / gaa));
      const hi = Math.min(dims[inner] - 1, Math.floor(c[inner] + (-b + root) / gaa));
      const base = v1 * strides[o1] + v2 * strides[o2];
      for (let x = lo; x <= hi; x++) visit(base + x * strides[inner]);
      if (v1 === nearest[o1] && v2 === nearest[o2] && lo <= nearest[inner]! && nearest[inner]! <= hi) nearestCovered = true;
    }
  }
  const [ni, nj, nk] = nearest as [number, number, number];
  if (!nearestCovered && ni >= 0 && nj >= 0 && nk >= 0 && ni < dims[0] && nj < dims[1] && nk < dims[2]) {
    visit(ni + strides[1] * nj + strides[2] * nk);
  }
}

/**
 * Which axis each row runs along and the outer axes' ranges (the dab's
 * bounding box, clipped to the volume); null when the dab misses the volume.
 * Moves a disc's centre onto its slice.
 */
function rowLoop(dims: Vec3, g: Float64Array, r2: number, c: [number, number, number], dab: BrushDab): RowLoop | null {
  if (dab.shape === 'disc') {
    const p = dab.planeAxis;
    const slice = Math.round(c[p]);
    if (slice < 0 || slice >= dims[p]) return null;
    c[p] = slice;
    const [inner, other] = ([0, 1, 2] as const).filter((a) => a !== p) as [Axis, Axis];
    // Half-extent along `other` of the ellipse dᵀHd ≤ r² in the plane: r·√((H⁻¹)_oo).
    const det = g[4 * inner]! * g[4 * other]! - g[3 * inner + other]! ** 2;
    const extent = Math.sqrt((r2 * g[4 * inner]!) / det);
    const [lo, hi] = clippedRange(c[other], extent, dims[other]);
    return { inner, outer: [other, p], ranges: [lo, hi, slice, slice] };
  }
  const [lo1, hi1] = clippedRange(c[1], Math.sqrt(r2 * inverseDiagonal(g, 1)), dims[1]);
  const [lo2, hi2] = clippedRange(c[2], Math.sqrt(r2 * inverseDiagonal(g, 2)), dims[2]);
  return { inner: 0, outer: [1, 2], ranges: [lo1, hi1, lo2, hi2] };
}

/** (G⁻¹)_aa: the cofactor over the determinant. */
function inverseDiagonal(g: Float64Array, a: Axis): number {
  const det = g[0]! * (g[4]! * g[8]! - g[5]! * g[7]!) - g[1]! * (g[3]! * g[8]! - g[5]! * g[6]!) + g[2]! * (g[3]! * g[7]! - g[4]! * g[6]!);
  const [b, e] = ([0, 1, 2] as const).filter((x) => x !== a) as [Axis, Axis];
  return (g[4 * b]! * g[4 * e]! - g[3 * b + e]! * g[3 * e + b]!) / det;
}

/** Integer indices within centre ± extent and the volume; a degenerate (non-finite) extent gives the whole axis. */
function clippedRange(centre: number, extent: number, size: number): [number, number] {
  if (!Number.isFinite(extent)) return [0, size - 1];
  const slack = extent * 1e-9 + 1e-9;
  return [Math.max(0, Math.ceil(centre - extent - slack)), Math.min(size - 1, Math.floor(centre + extent + slack))];
}
