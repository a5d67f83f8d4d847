import type { NumericArray } from '../../../core/voxels/NumericArray.js';
import { gatherKFastest } from './gatherKFastest.js';

/** The i-fastest image `data` as float32 with k fastest, then j, then i (the network's order), so windows are cut by rows. */
export function transposeToKFastest(data: NumericArray, [ni, nj, nk]: readonly [number, number, number]): Float32Array {
  return gatherKFastest(data, [ni, nj, nk], 0, [1, ni, ni * nj], new Float32Array(data.length));
}
