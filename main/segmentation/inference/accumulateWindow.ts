import { halfFloat } from './halfFloat.js';

/**
 * Adds weight × prediction of one window into the k-band. The band is laid
 * out [channel][in-plane voxel][k slot], k fastest like the network's output,
 * so each window row is added with contiguous reads and writes (the ring of
 * roi_k slots wraps at most once per row). Returns the sum of 0 × every value
 * read: 0 when the window's output is finite, NaN when it is not, so the
 * finite check needs no pass of its own.
 * A Uint16Array band holds half-precision sums (the many-class store: half the memory).
 * @param output the window's [channels, rx, ry, rz] prediction, z fastest.
 * @param weights the importance map, or undefined for constant weights (then only `band` is summed).
 * @param shift for half-precision sums: each voxel's value to subtract from every class first (the window's
 *   best logit there). Softmax and argmax do not change when every class of a voxel moves by the same amount,
 *   and the sums then hold the gaps between classes, not a large common part: a network whose logits are
 *   in the hundreds but differ by tenths lost its ranking to 11-bit sums (0.24 % of a body CT's voxels).
 * @param maxGap with `shift`: gaps are held at this (60000 over the most windows that cover a voxel), so
 *   the sums cannot overflow; a class that far below the best has no weight in softmax either way.
 */
export function accumulateWindow(
  output: Float32Array,
  window: readonly [number, number, number],
  roi: readonly [number, number, number],
  padded: readonly [number, number, number],
  channels: number,
  weights: Float32Array | undefined,
  band: Float32Array | Uint16Array,
  bandWeight: Float32Array,
  shift?: Float32Array,
  maxGap = Infinity,
): number {
  const half = band instanceof Uint16Array;
  const planeSize = padded[0] * padded[1];
  const patchSize = roi[0] * roi[1] * roi[2];
  const roiK = roi[2];
  const first = window[2] % roiK;
  const beforeWrap = roiK - first;
  let probe = 0;
  // Class by class, so the band and the output are each read in one sweep: with the class loop
  // innermost, every row of a 105-class model touched 210 places megabytes apart (24 ns an add).
  for (let c = 0; c < channels; c++) {
    for (let x = 0; x < roi[0]; x++) {
      for (let y = 0; y < roi[1]; y++) {
        const inPlane = window[0] + x + padded[0] * (window[1] + y);
        const patchRow = (x * roi[1] + y) * roiK;
        const base = (c * planeSize + inPlane) * roiK;
        if (c === 0 && weights) addWeights(bandWeight, inPlane * roiK, first, beforeWrap, roiK, weights, patchRow);
        if (half) probe += addHalf(band, base, first, beforeWrap, roiK, weights, patchRow, output, c * patchSize + patchRow, shift, maxGap);
        else if (weights) probe += addWeighted(band as Float32Array, base, first, beforeWrap, roiK, weights, patchRow, output, c * patchSize + patchRow);
        else probe += addPlain(band as Float32Array, base, first, beforeWrap, roiK, output, c * patchSize + patchRow);
      }
    }
  }
  return probe;
}

/**
 * target[base + (first + z) mod roiK] += values[valueRow + z] (constant weights), as two straight runs around the wrap;
 * returns the sum of 0 × each value (NaN when one is not finite), read while the value is at hand.
 */
function addPlain(target: Float32Array, base: number, first: number, beforeWrap: number, roiK: number, values: Float32Array, valueRow: number): number {
  let probe = 0;
  for (let z = 0, t = base + first; z < beforeWrap; z++, t++) {
    const v = values[valueRow + z]!;
    target[t] = target[t]! + v;
    probe += v * 0;
  }
  for (let z = beforeWrap, t = base; z < roiK; z++, t++) {
    const v = values[valueRow + z]!;
    target[t] = target[t]! + v;
    probe += v * 0;
  }
  return probe;
}

/** target[base + (first + z) mod roiK] += w[z] for z in 0..roiK, as two straight runs around the wrap. */
function addWeights(target: Float32Array, base: number, first: number, beforeWrap: number, roiK: number, weights: Float32Array, row: number): void {
  for (let z = 0, t = base + first; z < beforeWrap; z++, t++) target[t] = target[t]! + weights[row + z]!;
  for (let z = beforeWrap, t = base; z < roiK; z++, t++) target[t] = target[t]! + weights[row + z]!;
}

/** target[base + (first + z) mod roiK] += w[z] × values[valueRow + z], likewise, with the same probe. */
function addWeighted(
  target: Float32Array,
  base: number,
  first: number,
  beforeWrap: number,
  roiK: number,
  weights: Float32Array,
  row: number,
  values: Float32Array,
  valueRow: number,
): number {
  let probe = 0;
  for (let z = 0, t = base + first; z < beforeWrap; z++, t++) {
    const v = values[valueRow + z]!;
    target[t] = target[t]! + weights[row + z]! * v;
    probe += v * 0;
  }
  for (let z = beforeWrap, t = base; z < roiK; z++, t++) {
    const v = values[valueRow + z]!;
    target[t] = target[t]! + weights[row + z]! * v;
    probe += v * 0;
  }
  return probe;
}

/** addWeighted (or addPlain, without weights) into half-precision sums: each sum is decoded, added to in float, and rounded back. */
function addHalf(
  target: Uint16Array,
  base: number,
  first: number,
  beforeWrap: number,
  roiK: number,
  weights: Float32Array | undefined,
  row: number,
  values: Float32Array,
  valueRow: number,
  shift: Float32Array | undefined,
  maxGap: number,
): number {
  return (
    addHalfRun(target, base + first, weights, row, values, valueRow, beforeWrap, shift, maxGap) +
    addHalfRun(target, base, weights, row + beforeWrap, values, valueRow + beforeWrap, roiK - beforeWrap, shift, maxGap)
  );
}

/** One straight run of addHalf: target[t + z] += w[row + z] × (values[valueRow + z] − shift[row + z]) for z < count. */
function addHalfRun(
  target: Uint16Array,
  t: number,
  weights: Float32Array | undefined,
  row: number,
  values: Float32Array,
  valueRow: number,
  count: number,
  shift: Float32Array | undefined,
  maxGap: number,
): number {
  const { decode, encode } = halfFloat;
  let probe = 0;
  for (let z = 0; z < count; z++) {
    const v = values[valueRow + z]!;
    const gap = shift ? Math.max(v - shift[row + z]!, -maxGap) : v;
    target[t + z] = encode(decode[target[t + z]!]! + (weights ? weights[row + z]! * gap : gap));
    probe += v * 0;
  }
  return probe;
}
