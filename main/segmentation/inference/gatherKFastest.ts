import type { Vec3 } from '../../../core/geometry/types.js';
import type { NumericArray } from '../../../core/voxels/NumericArray.js';

/**
 * Rows of i moved together: their output runs (nk values each) stay in the cache while k sweeps. 8 rows: a 512×512×100
 * int16 CT in 0.07–0.10 s, plain, flipped or permuted, against 0.16–0.19 s with 16 or 32 and 0.10–0.13 s with
 * blocks of k as well (2-core AMD EPYC Zen 5).
 */
const tileRows = 8;

/**
 * Fills `target` with an [ni, nj, nk] image k fastest, then j, then i (the network's order), voxel (i, j, k) read from
 * `source` at `start` + i·step[0] + j·step[1] + k·step[2] (so a flip or a permutation of the source's axes costs nothing
 * more). Tiled: for each j, a few values of i at a time are read from every k plane and written into their runs, which
 * stay cached (a 512×512×100 CT: 0.16 s against 0.8–1.9 s writing one voxel a run at a time, 2-core Xeon).
 */
export function gatherKFastest<T extends NumericArray>(source: NumericArray, [ni, nj, nk]: Vec3, start: number, step: Vec3, target: T): T {
  const run = nj * nk;
  for (let j = 0; j < nj; j++) {
    for (let i0 = 0; i0 < ni; i0 += tileRows) {
      const i1 = Math.min(ni, i0 + tileRows);
      for (let k = 0; k < nk; k++) {
        for (let i = i0, from = start + i0 * step[0] + j * step[1] + k * step[2], to = (i0 * nj + j) * nk + k; i < i1; i++, from += step[0], to += run) {
          target[to] = source[from]!;
        }
      }
    }
  }
  return target;
}
