import type { LoadedVolume } from '../data/LoadedVolume.js';
import { blockReduce } from './blockReduce.js';
import type { Vec3 } from '../../core/geometry/types.js';
import type { DownsamplePlan } from './downsamplePlan.js';

/** The grid the 3D view draws, when it is not the volume's own. */
export interface Reduced3d {
  readonly plan: DownsamplePlan;
  /** The volume's own dimensions. */
  readonly sourceDims: Vec3;
  /** Box-filtering the voxels: all of it, and its longest step (ms). */
  readonly totalMs: number;
  readonly longestStepMs: number;
}

/** A volume reduced for the 3D view, and what reducing it cost. */
export interface DownsampledVolume {
  readonly volume: LoadedVolume;
  /** From start to the last slice, ms (the pauses between steps included). */
  readonly totalMs: number;
  /** The longest single step, ms: how long the page could not answer. */
  readonly longestStepMs: number;
}

/** Source voxels read per step: ~8 M keeps a step near 20–40 ms in V8, so clicks and scrolls still answer. */
const stepSourceVoxels = 8 * 2 ** 20;

/**
 * Box-filters a volume onto a plan's grid, as float32, a few reduced slices
 * per task so the page stays responsive. It runs on the page's thread in
 * steps, not in a Web Worker: a worker would need its own copy of the
 * voxels (1.2 GB for 512×512×2400 int16; sharing them needs
 * SharedArrayBuffer, hence cross-origin isolation the app does not have),
 * or would take them from the 2D views while it works. The header keeps its
 * fields, with the plan's dimensions, spacing and origin. Resolves with null
 * when `cancelled()` turns true between steps.
 */
export async function downsampleVolume(
  volume: LoadedVolume,
  plan: DownsamplePlan,
  onProgress: (fraction: number) => void,
  cancelled: () => boolean,
): Promise<DownsampledVolume | null> {
  const start = performance.now();
  const [ri, rj, rk] = plan.dimensions;
  const { factors } = plan;
  const voxels = new Float32Array(ri * rj * rk);
  const source = { voxels: volume.voxels, dims: volume.header.dimensions, firstSlice: 0 };
  const slicesPerStep = Math.max(1, Math.floor(stepSourceVoxels / (ri * rj * factors[0] * factors[1] * factors[2])));
  let longestStepMs = 0;
  for (let k = 0; k < rk; k += slicesPerStep) {
    if (cancelled()) return null;
    const stepStart = performance.now();
    blockReduce(source, factors, 'mean', voxels, k, Math.min(rk, k + slicesPerStep));
    longestStepMs = Math.max(longestStepMs, performance.now() - stepStart);
    onProgress(Math.min(rk, k + slicesPerStep) / rk);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  if (cancelled()) return null;
  const { factors: _factors, reason: _reason, ...geometry } = plan;
  const header = { ...volume.header, ...geometry };
  return { volume: { ...volume, header, voxels }, totalMs: performance.now() - start, longestStepMs };
}
