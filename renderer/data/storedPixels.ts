import type { NumericArray } from '../../core/voxels/NumericArray.js';
import type { VoxelDataType } from './voxelArray.js';

/**
 * How voxel values become the integer "stored" pixels cornerstone indexes
 * its lookup table with: value = stored · slope + intercept. 8- and 16-bit
 * integers are shown as they are; wider integers and floats are quantised to
 * 16 bits over the volume's range (the readout still reads the true value).
 */
export interface StoredPixelFormat {
  readonly quantised: boolean;
  readonly slope: number;
  readonly intercept: number;
  /** Smallest and largest stored value (cornerstone's minPixelValue/maxPixelValue). */
  readonly minStored: number;
  readonly maxStored: number;
  /** Array type the cut slice is stored in for cornerstone. */
  readonly storage: 'int8' | 'uint8' | 'int16' | 'uint16';
}

const levels = 65535;

/** The stored-pixel format for a volume of this type and value range. */
export function storedPixelFormat(dataType: VoxelDataType, range: readonly [number, number]): StoredPixelFormat {
  switch (dataType) {
    case 'int8':
      return { quantised: false, slope: 1, intercept: 0, minStored: -128, maxStored: 127, storage: 'int8' };
    case 'uint8':
      return { quantised: false, slope: 1, intercept: 0, minStored: 0, maxStored: 255, storage: 'uint8' };
    case 'int16':
      return direct(range, -32768, 32767, 'int16');
    case 'uint16':
      return direct(range, 0, 65535, 'uint16');
    default: {
      const [min, max] = finiteRange(range);
      const span = max - min;
      const integer = dataType === 'int32' || dataType === 'uint32';
      // Integers keep exact steps while they fit in 16 bits.
      const slope = span <= 0 ? 1 : integer ? Math.max(1, Math.ceil(span / levels)) : span / levels;
      return { quantised: true, slope, intercept: min, minStored: 0, maxStored: Math.min(levels, Math.ceil(span / slope)), storage: 'uint16' };
    }
  }
}

/**
 * Writes stored = round((value − intercept) / slope), clamped, for each of
 * `count` values; NaN becomes the lowest stored value.
 */
export function quantiseInto(values: NumericArray, count: number, format: StoredPixelFormat, out: NumericArray): void {
  const scale = 1 / format.slope;
  const offset = format.intercept;
  const max = format.maxStored;
  for (let n = 0; n < count; n++) {
    const s = Math.round((values[n]! - offset) * scale);
    out[n] = s > 0 ? (s < max ? s : max) : 0;
  }
}

/** The 16-bit types are drawn over their actual range so cornerstone's lookup table stays small. */
function direct(range: readonly [number, number], lowest: number, highest: number, storage: 'int16' | 'uint16'): StoredPixelFormat {
  const [min, max] = finiteRange(range);
  return {
    quantised: false,
    slope: 1,
    intercept: 0,
    minStored: Math.max(lowest, Math.floor(Math.min(min, 0))),
    maxStored: Math.min(highest, Math.ceil(Math.max(max, 1))),
    storage,
  };
}

function finiteRange(range: readonly [number, number]): [number, number] {
  const [a, b] = range;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return [0, 1];
  return a <= b ? [a, b] : [b, a];
}
