import type { Vec3 } from '../../../core/geometry/types.js';

export interface ResampleAxisParams {
  readonly data: Float32Array;
  readonly dimensions: Vec3;
  readonly axis: 0 | 1 | 2;
  readonly length: number;
  /** Source coordinate of target index n is n × scale. */
  readonly scale: number;
  readonly mode: 'linear' | 'nearest';
}

/**
 * Resamples one axis (linear or nearest, coordinates clamped to the border as
 * Spacingd's default padding_mode "border" does). Three calls make trilinear.
 */
export function resampleAxis(params: ResampleAxisParams): { data: Float32Array; dimensions: Vec3 } {
  const { data, dimensions, axis, length, scale, mode } = params;
  const dims = [...dimensions] as [number, number, number];
  const size = dims[axis];
  dims[axis] = length;
  const out = new Float32Array(dims[0] * dims[1] * dims[2]);
  // The step along `axis`, in the source and the output alike (only the axes before it enter it, and they keep their sizes).
  const stride = axis === 0 ? 1 : axis === 1 ? dimensions[0] : dimensions[0] * dimensions[1];
  const lower = new Int32Array(length);
  const weight = new Float32Array(length);
  for (let n = 0; n < length; n++) {
    const x = Math.min(Math.max(n * scale, 0), size - 1);
    const base = mode === 'nearest' ? Math.min(size - 1, Math.round(x)) : Math.min(Math.floor(x), size - 1);
    lower[n] = base;
    weight[n] = mode === 'nearest' || base === size - 1 ? 0 : x - base;
  }
  const blocks = (dimensions[0] * dimensions[1] * dimensions[2]) / (size * stride);
  for (let block = 0; block < blocks; block++) {
    const sourceBlock = block * stride * size;
    const targetBlock = block * stride * length;
    if (stride === 1) {
      for (let n = 0; n < length; n++) {
        const s = sourceBlock + lower[n]!;
        const w = weight[n]!;
        const a = data[s]!;
        out[targetBlock + n] = w === 0 ? a : a + (data[s + 1]! - a) * w;
      }
      continue;
    }
    // Along j or k, a whole run at a time (a row along j, a plane along k), so that both arrays are read and written in order.
    for (let n = 0; n < length; n++) {
      const s = sourceBlock + lower[n]! * stride;
      const t = targetBlock + n * stride;
      const w = weight[n]!;
      if (w === 0) {
        out.set(data.subarray(s, s + stride), t);
        continue;
      }
      for (let i = 0; i < stride; i++) {
        const a = data[s + i]!;
        out[t + i] = a + (data[s + stride + i]! - a) * w;
      }
    }
  }
  return { data: out, dimensions: dims };
}
