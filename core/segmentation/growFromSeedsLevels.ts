import type { NumericArray } from '../voxels/NumericArray.js';
import type { VoxelBox } from './growFromSeedsTypes.js';

/** How image values become the integer levels the queue's weights are made of. */
export interface LevelScale {
  readonly min: number;
  /** Image units per level: 1 for integer scans whose range fits 16 bits (CT), finer steps never. */
  readonly unit: number;
  /** The highest level in the box. */
  readonly top: number;
  /** Levels are the values less `min` exactly (an integer scan whose range fits): no rounding needed. */
  readonly exact: boolean;
}

const LEVELS = 65535;

/**
 * The scale that maps the box's values onto 0…65535 (Dial's queue needs
 * integer weights): integer images whose range fits keep one level per unit,
 * so a CT's |ΔHU| is exact; others are spread over the 16 bits.
 */
export function levelScaleOf(image: NumericArray, dimensions: readonly number[], box: VoxelBox): LevelScale {
  const [nx, ny] = [dimensions[0]!, dimensions[1]!];
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = box.min[2]; k <= box.max[2]; k++) {
    for (let j = box.min[1]; j <= box.max[1]; j++) {
      const row = (k * ny + j) * nx;
      for (let i = row + box.min[0], end = row + box.max[0]; i <= end; i++) {
        const v = image[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (!(hi >= lo)) return { min: 0, unit: 1, top: 0, exact: true };
  const integer = !(image instanceof Float32Array || image instanceof Float64Array);
  const range = hi - lo;
  // A float scan whose range is exactly 65535 gets unit 1 too, but its levels still need rounding.
  const exact = integer && range <= LEVELS;
  const unit = exact ? 1 : Math.max(range, 1e-30) / LEVELS;
  return { min: lo, unit, top: Math.round(range / unit), exact };
}
