import { AxialError } from '../../errors/AxialError.js';
import type { Vec3 } from '../../../core/geometry/types.js';
import { indexToWorld } from '../../../core/geometry/indexToWorld.js';
import type { ImageGrid } from './ImageGrid.js';
import { padVolume, type PadMode } from './padModes.js';

/** A box in voxel indices, `end` exclusive; it may reach outside the image (that part is padded). */
export interface Box {
  readonly start: Vec3;
  readonly end: Vec3;
}

/**
 * Cuts `box` out of the image, filling what lies outside as numpy.pad's `mode` does (`padValue` for constant);
 * the origin follows the box. Like MONAI's crop-then-pad, a non-constant mode pads the cropped part, axis by axis, in
 * `axisOrder` (see padVolume).
 * @throws AxialError MODEL_UNSUPPORTED as padAxis does (reflect by the axis size or more).
 */
export function cropOrPad(image: ImageGrid, box: Box, padValue: number, mode: PadMode = 'constant', axisOrder?: readonly number[]): ImageGrid {
  if (mode !== 'constant') return cropThenPad(image, box, mode, axisOrder);
  const dims = [0, 1, 2].map((a) => box.end[a]! - box.start[a]!) as unknown as Vec3;
  const data = new Float32Array(dims[0] * dims[1] * dims[2]).fill(padValue);
  const [ni, nj, nk] = image.dimensions;
  let n = 0;
  for (let k = 0; k < dims[2]; k++) {
    const sk = k + box.start[2];
    for (let j = 0; j < dims[1]; j++, n += dims[0]) {
      const sj = j + box.start[1];
      if (sk < 0 || sk >= nk || sj < 0 || sj >= nj) continue;
      const row = (sk * nj + sj) * ni;
      const from = Math.max(0, box.start[0]);
      const to = Math.min(ni, box.end[0]);
      if (to > from) data.set(image.data.subarray(row + from, row + to), n + from - box.start[0]);
    }
  }
  return { dimensions: dims, spacing: image.spacing, origin: indexToWorld(image, box.start), direction: image.direction, data };
}

function cropThenPad(image: ImageGrid, box: Box, mode: PadMode, axisOrder: readonly number[] | undefined): ImageGrid {
  const inside: Box = {
    start: [0, 1, 2].map((a) => Math.min(image.dimensions[a]!, Math.max(0, box.start[a]!))) as unknown as Vec3,
    end: [0, 1, 2].map((a) => Math.max(0, Math.min(image.dimensions[a]!, box.end[a]!))) as unknown as Vec3,
  };
  const cropped = cropOrPad(image, { start: inside.start, end: [0, 1, 2].map((a) => Math.max(inside.start[a]!, inside.end[a]!)) as unknown as Vec3 }, 0);
  const widths = [0, 1, 2].map((a) => [inside.start[a]! - box.start[a]!, box.end[a]! - Math.max(inside.start[a]!, inside.end[a]!)] as const);
  const padded = padVolume(cropped, widths, mode, 0, axisOrder);
  return { ...padded, spacing: image.spacing, origin: indexToWorld(image, box.start), direction: image.direction };
}

/**
 * CropForeground's box: the bounding box of voxels above `threshold`, widened
 * by `margin`; it may overrun the image, as MONAI's (since 1.5) default `allow_smaller=False` lets it, and the
 * overrun is padded; with `allowSmaller` it is kept inside the image.
 * @throws AxialError MODEL_INVALID when no voxel is foreground.
 */
export function foregroundBox(image: ImageGrid, threshold: number, margin: readonly [number, number, number], allowSmaller = false): Box {
  const [ni, nj, nk] = image.dimensions;
  const low = [Infinity, Infinity, Infinity];
  const high = [-1, -1, -1];
  let n = 0;
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++, n++) {
        if (!(image.data[n]! > threshold)) continue;
        if (i < low[0]!) low[0] = i;
        if (i > high[0]!) high[0] = i;
        if (j < low[1]!) low[1] = j;
        if (j > high[1]!) high[1] = j;
        if (k < low[2]!) low[2] = k;
        if (k > high[2]!) high[2] = k;
      }
    }
  }
  if (high[0]! < 0) throw new AxialError('MODEL_INVALID', 'CropForegroundd found no foreground voxel in the image');
  const start = [0, 1, 2].map((a) => (allowSmaller ? Math.max(0, low[a]! - margin[a]!) : low[a]! - margin[a]!)) as unknown as Vec3;
  const end = [0, 1, 2].map((a) => (allowSmaller ? Math.min(image.dimensions[a]!, high[a]! + 1 + margin[a]!) : high[a]! + 1 + margin[a]!)) as unknown as Vec3;
  return { start, end };
}
