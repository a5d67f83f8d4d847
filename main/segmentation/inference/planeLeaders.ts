/** Per voxel of a network plane: the two leading classes and the third-best value, for createInverter's candidate argmax. */
export interface PlaneLeaders {
  /** The first class with the highest value (argmax's own tie rule). */
  readonly first: Uint16Array;
  /** The first class with the highest value among the others. */
  readonly second: Uint16Array;
  /** The highest value of every other class (-Infinity with fewer than three classes): no class outside the two can exceed it here. */
  readonly thirdValue: Float32Array;
  /** The largest magnitude of any class's value: what float rounding of a blend is relative to. */
  readonly magnitude: Float32Array;
}

/**
 * Scans a plane laid out [channel][voxel] channel by channel, so every read is sequential
 * (a voxel's 105 values lie a plane apart), keeping the running best three per voxel.
 */
export function planeLeaders(plane: Float32Array, channels: number, size: number): PlaneLeaders {
  const first = new Uint16Array(size);
  const second = new Uint16Array(size);
  const firstValue = new Float32Array(size).fill(-Infinity);
  const secondValue = new Float32Array(size).fill(-Infinity);
  const thirdValue = new Float32Array(size).fill(-Infinity);
  const magnitude = new Float32Array(size);
  for (let c = 0; c < channels; c++) {
    const offset = c * size;
    for (let v = 0; v < size; v++) {
      const value = plane[offset + v]!;
      if (Math.abs(value) > magnitude[v]!) magnitude[v] = Math.abs(value);
      if (value > firstValue[v]!) {
        thirdValue[v] = secondValue[v]!;
        secondValue[v] = firstValue[v]!;
        second[v] = first[v]!;
        firstValue[v] = value;
        first[v] = c;
      } else if (value > secondValue[v]!) {
        // A tie with the first lands here, so the two keep index order.
        thirdValue[v] = secondValue[v]!;
        secondValue[v] = value;
        second[v] = c;
      } else if (value > thirdValue[v]!) {
        thirdValue[v] = value;
      }
    }
  }
  return { first, second, thirdValue, magnitude };
}
