import { dot } from '../../core/geometry/vec3.js';
import type { SegmentationGrid } from './types.js';

const axes = [0, 1, 2] as const;

/**
 * The grid's metric: squared world distance (mm²) of an index offset d is
 * Σ_ab d_a · g[3a + b] · d_b with g_ab = spacing_a · spacing_b ·
 * (direction_a · direction_b), so anisotropic and sheared grids measure true
 * distances. Row-major 3×3.
 */
export function gridMetric(grid: Pick<SegmentationGrid, 'spacing' | 'direction'>): Float64Array {
  const { spacing: s, direction: d } = grid;
  const g = new Float64Array(9);
  for (const a of axes) {
    for (const b of axes) {
      g[3 * a + b] = s[a] * s[b] * dot(d[a], d[b]);
    }
  }
  return g;
}
