import { allocateVoxels } from '../io/allocateVoxels.js';
import type { VoxelArray } from '../volume/Volume.js';
import { integerTypeForRange } from '../volume/rescaleToSmallestType.js';
import { valueRange } from '../volume/valueRange.js';

type VoxelArrayConstructor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

/** Integers up to this magnitude are exact in float32 (a 24-bit significand). */
const float32ExactInteger = 2 ** 24;

/**
 * Gives a 4D DICOM series' time points one voxel type, in place in `timePoints`, as one 4D NIfTI
 * needs: each was loaded alone in the smallest type exact for its own values (a slope of 0.5 in one
 * time point makes it float32, one voxel of 58976 HU int32), so they may differ. The type is the
 * narrowest that holds every time point's values exactly: the smallest integer type over all of
 * their ranges; float32 when one is float (float64 when one is, or an integer is past 2^24).
 * A time point is converted only when its type differs, one at a time, reusing its buffer at the
 * same width: beyond the time points, which the file needs all at once anyway, memory holds one
 * time point's new array at most.
 * @param file Named when a converted time point cannot be allocated.
 * @throws AxialError VOLUME_TOO_LARGE when the engine refuses a converted array.
 */
export function unifyTimePointTypes(timePoints: VoxelArray[], file: string): void {
  const types = new Set(timePoints.map((v) => v.constructor));
  if (types.size <= 1) return;
  const Type = commonType(timePoints);
  timePoints.forEach((voxels, t) => {
    if (voxels instanceof Type) return;
    const sameWidth = Type.BYTES_PER_ELEMENT === voxels.BYTES_PER_ELEMENT;
    const target = sameWidth
      ? new Type(voxels.buffer as ArrayBuffer, voxels.byteOffset, voxels.length)
      : allocateVoxels(() => new Type(voxels.length), voxels.length * Type.BYTES_PER_ELEMENT, file);
    // Element by element, reading before writing: at the same width `target` is `voxels`' buffer.
    for (let i = 0; i < voxels.length; i++) target[i] = voxels[i]!;
    timePoints[t] = target;
  });
}

function commonType(timePoints: readonly VoxelArray[]): VoxelArrayConstructor {
  if (timePoints.some((v) => v instanceof Float64Array)) return Float64Array;
  const integers = timePoints.filter((v) => !(v instanceof Float32Array));
  let low = Infinity;
  let high = -Infinity;
  for (const voxels of integers) {
    const [min, max] = valueRange({ voxels });
    low = Math.min(low, min);
    high = Math.max(high, max);
  }
  if (integers.length < timePoints.length) return Math.max(-low, high) <= float32ExactInteger ? Float32Array : Float64Array;
  return integerTypeForRange([low, high]) ?? Float64Array;
}
