import type { SpatialInverse } from '../pipeline/preprocessVolume.js';

/** Where an oriented-source voxel samples the network grid along one axis. */
export interface AxisSamples {
  readonly lower: Int32Array;
  readonly lowerWeight: Float32Array;
  readonly upperWeight: Float32Array;
}

/**
 * For each oriented-source index along an axis: the network index below it and
 * the two weights (0 for a neighbour outside the network grid, as a zero pad).
 */
export function axisSamples(inverse: SpatialInverse, axis: number, interpolation: 'linear' | 'nearest'): AxisSamples {
  const n = inverse.orientedDimensions[axis]!;
  const spaced = inverse.spacedDimensions[axis]!;
  const network = inverse.networkDimensions[axis]!;
  const lower = new Int32Array(n);
  const lowerWeight = new Float32Array(n);
  const upperWeight = new Float32Array(n);
  const inside = (c: number): boolean => c >= 0 && c < network;
  for (let s = 0; s < n; s++) {
    const u = Math.min(Math.max(s * inverse.scale[axis]!, 0), spaced - 1);
    const c = u - inverse.offset[axis]!;
    if (interpolation === 'nearest') {
      const r = Math.round(c);
      lower[s] = r;
      lowerWeight[s] = inside(r) ? 1 : 0;
      continue;
    }
    const f = Math.floor(c);
    const w = c - f;
    lower[s] = f;
    lowerWeight[s] = inside(f) ? 1 - w : 0;
    upperWeight[s] = w > 0 && inside(f + 1) ? w : 0;
  }
  return { lower, lowerWeight, upperWeight };
}
