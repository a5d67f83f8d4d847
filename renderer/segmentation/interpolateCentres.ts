import type { Vec3 } from '../../core/geometry/types.js';
import { add, scale, subtract } from '../../core/geometry/vec3.js';
import { gridMetric } from './gridMetric.js';
import type { SegmentationGrid } from './types.js';

/** Where a drag's dabs go. */
export interface InterpolateCentresParams {
  readonly grid: SegmentationGrid;
  /** Continuous voxel indices the pointer passed through, in order. */
  readonly centres: readonly Vec3[];
  readonly radiusMm: number;
  /** The last dab already painted (the previous piece of the same drag), if any: joined to centres[0] but not repeated. */
  readonly previous?: Vec3;
}

/**
 * Dab centres along a drag: every given centre, with dabs in between spaced
 * at most half the larger of the radius and the finest voxel spacing (world
 * mm), so that a fast drag leaves a gap-free band (and a brush smaller than
 * a voxel a connected line of voxels).
 */
export function interpolateCentres(params: InterpolateCentresParams): Vec3[] {
  const { grid, centres, radiusMm, previous } = params;
  const g = gridMetric(grid);
  const step = Math.max(radiusMm, Math.min(...grid.spacing)) / 2;
  const out: Vec3[] = [];
  let from = previous;
  for (const to of centres) {
    if (from) {
      const d = subtract(to, from);
      let length2 = 0;
      for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) length2 += d[a]! * g[3 * a + b]! * d[b]!;
      const steps = Math.ceil(Math.sqrt(Math.max(0, length2)) / step);
      for (let s = 1; s < steps; s++) {
        const t = s / steps;
        out.push(add(from, scale(d, t)));
      }
    }
    out.push(to);
    from = to;
  }
  return out;
}
