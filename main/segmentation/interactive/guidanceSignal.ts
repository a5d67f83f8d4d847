import type { Vec3 } from '../../../core/geometry/types.js';
import { gaussianKernel1d } from './gaussianKernel1d.js';

/**
 * One guidance channel as MONAI's `AddGuidanceSignalDeepEditd._get_signal` makes it (monai/apps/deepedit/transforms.py,
 * MONAI 1.4), in C order (k fastest, as the network takes it): a 1 at each click's voxel (a point with any negative
 * coordinate is skipped; the others are truncated to integers and clamped into the grid), then MONAI's
 * GaussianFilter(sigma, truncated 4, approx "erf") with zero padding, then min-max normalised. No clicks, or only
 * skipped ones, give zeros. Clicks on one voxel count once, as MONAI sets rather than adds them.
 * Because the filter is linear and the padding zero, the filtered signal is the sum over clicks of the separable
 * kernel around each one, which is what is computed here (in double precision, stored as float32).
 */
export function guidanceSignal(points: readonly Vec3[], dimensions: Vec3, sigma: number): Float32Array {
  const [ni, nj, nk] = dimensions;
  const out = new Float32Array(ni * nj * nk);
  const voxels = new Set<number>();
  for (const p of points) {
    if (p.some((v) => v < 0)) continue;
    const [i, j, k] = p.map((v, a) => Math.max(0, Math.min(Math.trunc(v), dimensions[a]! - 1)));
    voxels.add((i! * nj + j!) * nk + k!);
  }
  if (voxels.size === 0) return out;
  const kernel = gaussianKernel1d(sigma);
  const tail = (kernel.length - 1) / 2;
  const sums = new Float64Array(out.length);
  for (const v of voxels) {
    const k = v % nk;
    const j = Math.floor(v / nk) % nj;
    const i = Math.floor(v / (nk * nj));
    for (let a = Math.max(0, i - tail); a <= Math.min(ni - 1, i + tail); a++) {
      const wa = kernel[a - i + tail]!;
      for (let b = Math.max(0, j - tail); b <= Math.min(nj - 1, j + tail); b++) {
        const wab = wa * kernel[b - j + tail]!;
        const row = (a * nj + b) * nk;
        for (let c = Math.max(0, k - tail); c <= Math.min(nk - 1, k + tail); c++) sums[row + c]! += wab * kernel[c - k + tail]!;
      }
    }
  }
  let min = Infinity;
  let max = -Infinity;
  for (const s of sums) {
    if (s < min) min = s;
    if (s > max) max = s;
  }
  // MONAI normalises the float32 filtered signal: (s − min) / (max − min).
  const fmin = Math.fround(min);
  const range = Math.fround(Math.fround(max) - fmin);
  for (let n = 0; n < out.length; n++) out[n] = Math.fround(Math.fround(sums[n]!) - fmin) / range;
  return out;
}
