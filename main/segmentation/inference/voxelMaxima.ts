/**
 * Each voxel's highest value over the channels of a [channels][voxel] window output, into `target`
 * (class by class, so every read is sequential).
 */
export function voxelMaxima(output: Float32Array, channels: number, size: number, target: Float32Array): Float32Array {
  target.set(output.subarray(0, size));
  for (let c = 1; c < channels; c++) {
    const offset = c * size;
    for (let v = 0; v < size; v++) {
      const value = output[offset + v]!;
      if (value > target[v]!) target[v] = value;
    }
  }
  return target;
}
