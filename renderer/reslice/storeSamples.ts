import { quantiseInto, type StoredPixelFormat } from '../data/storedPixels.js';
import type { NumericArray } from '../../core/voxels/NumericArray.js';

/**
 * Writes resampled real values as the stored pixels cornerstone draws:
 * quantised volumes through {@link quantiseInto}; the others (stored as they
 * are) rounded to the nearest integer and clamped to the stored range, since
 * an interpolated or mean value falls between the volume's own integers.
 */
export function storeSamples(values: NumericArray, count: number, format: StoredPixelFormat, out: NumericArray): void {
  if (format.quantised) return quantiseInto(values, count, format, out);
  const { minStored: min, maxStored: max } = format;
  for (let n = 0; n < count; n++) {
    const s = Math.round(values[n]!);
    out[n] = s > min ? (s < max ? s : max) : min;
  }
}
