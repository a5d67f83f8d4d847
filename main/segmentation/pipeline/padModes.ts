import { AxialError } from '../../errors/AxialError.js';
import type { Vec3 } from '../../../core/geometry/types.js';

/** numpy.pad's modes that MONAI's padding transforms pass on (torch's names mapped to numpy's: replicate → edge, circular → wrap). */
export type PadMode = 'constant' | 'edge' | 'reflect' | 'symmetric' | 'wrap' | 'minimum' | 'maximum' | 'mean' | 'median';

/**
 * A padding transform's `mode` as MONAI reads it (`convert_pad_mode` maps torch's and numpy's names onto each other).
 * `linear_ramp` and `empty` are left out: no zoo bundle uses them, and `empty` leaves memory uninitialised.
 */
export const monaiPadModes: Readonly<Record<string, PadMode>> = {
  constant: 'constant',
  edge: 'edge',
  replicate: 'edge',
  reflect: 'reflect',
  symmetric: 'symmetric',
  wrap: 'wrap',
  circular: 'wrap',
  minimum: 'minimum',
  maximum: 'maximum',
  mean: 'mean',
  median: 'median',
};

/** A 3D float volume, `i` fastest. */
export interface PadVolume {
  readonly dimensions: Vec3;
  readonly data: Float32Array;
}

function statistic(mode: 'minimum' | 'maximum' | 'mean' | 'median', line: Float64Array): number {
  if (mode === 'minimum') return line.reduce((a, b) => Math.min(a, b), Infinity);
  if (mode === 'maximum') return line.reduce((a, b) => Math.max(a, b), -Infinity);
  if (mode === 'mean') return line.reduce((a, b) => a + b, 0) / line.length;
  const sorted = Float64Array.from(line).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Source index along a line of `n` for output offset `t` (negative before the line, ≥ n after it). */
function sourceIndex(mode: 'edge' | 'reflect' | 'symmetric' | 'wrap', t: number, n: number): number {
  const mod = (a: number, m: number): number => ((a % m) + m) % m;
  switch (mode) {
    case 'edge':
      return Math.min(n - 1, Math.max(0, t));
    case 'wrap':
      return mod(t, n);
    case 'symmetric': {
      const m = mod(t, 2 * n);
      return m < n ? m : 2 * n - 1 - m;
    }
    case 'reflect': {
      if (n === 1) return 0;
      const m = mod(t, 2 * (n - 1));
      return m < n ? m : 2 * (n - 1) - m;
    }
  }
}

/**
 * Pads one axis of a volume as `numpy.pad(mode=…)` does (statistics over the whole line, `stat_length` None), on
 * the volume as padded so far: MONAI pads axis by axis in order, so corners come from lines already padded.
 * `reflect` follows torch, which MONAI uses for float images: a pad as wide as the axis fails there.
 * @throws AxialError MODEL_UNSUPPORTED for reflect with a pad ≥ the axis size, or a non-constant mode on an empty axis.
 */
export function padAxis(volume: PadVolume, axis: 0 | 1 | 2, before: number, after: number, mode: PadMode, value = 0): PadVolume {
  if (before === 0 && after === 0) return volume;
  const dims = volume.dimensions;
  const n = dims[axis];
  if (mode !== 'constant' && n === 0) throw new AxialError('MODEL_UNSUPPORTED', `padding mode "${mode}" on an axis with no voxels`);
  if (mode === 'reflect' && Math.max(before, after) >= n) {
    throw new AxialError('MODEL_UNSUPPORTED', `padding mode "reflect" by ${Math.max(before, after)} voxels on an axis of ${n}: MONAI (torch) fails on it too`);
  }
  const outDims = dims.map((d, a) => (a === axis ? d + before + after : d)) as unknown as Vec3;
  const out = new Float32Array(outDims[0] * outDims[1] * outDims[2]);
  const inStrides = [1, dims[0], dims[0] * dims[1]];
  const outStrides = [1, outDims[0], outDims[0] * outDims[1]];
  const inStride = inStrides[axis]!;
  const outStride = outStrides[axis]!;
  const line = new Float64Array(n);
  const m = outDims[axis];
  // The other two axes, in memory order.
  const [p, q] = [0, 1, 2].filter((a) => a !== axis) as [number, number];
  for (let b = 0; b < dims[q]!; b++) {
    for (let a = 0; a < dims[p]!; a++) {
      const inBase = a * inStrides[p]! + b * inStrides[q]!;
      const outBase = a * outStrides[p]! + b * outStrides[q]!;
      for (let t = 0; t < n; t++) line[t] = volume.data[inBase + t * inStride]!;
      const fill =
        mode === 'constant' ? value : mode === 'minimum' || mode === 'maximum' || mode === 'mean' || mode === 'median' ? statistic(mode, line) : undefined;
      for (let t = 0; t < m; t++) {
        const s = t - before;
        out[outBase + t * outStride] = s >= 0 && s < n ? line[s]! : (fill ?? line[sourceIndex(mode as 'edge', s, n)]!);
      }
    }
  }
  return { dimensions: outDims, data: out };
}

/**
 * Pads a volume on all three axes (`widths[a]` = [before, after]), axis 0 (MONAI's first spatial axis, Axial's `i`)
 * first, as `numpy.pad` and MONAI's `Pad` do; `axisOrder` names the axes in that order when the volume holds them in
 * another (mean and median corners depend on it).
 * @throws AxialError as {@link padAxis}.
 */
export function padVolume(
  volume: PadVolume,
  widths: readonly (readonly [number, number])[],
  mode: PadMode,
  value = 0,
  axisOrder: readonly number[] = [0, 1, 2],
): PadVolume {
  let padded = volume;
  for (const axis of axisOrder as readonly (0 | 1 | 2)[]) padded = padAxis(padded, axis, widths[axis]![0], widths[axis]![1], mode, value);
  return padded;
}
