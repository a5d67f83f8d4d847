import { createLeadersKernel, type LeadersKernel } from './createLeadersKernel.js';
import { LeadersOverflow } from './LeadersOverflow.js';

/**
 * Per voxel of one window: the classes within reach of the voxel's best logit (ascending class) and their logits, voxel
 * after voxel: voxel v's `count[v]` entries start at `offsets[v]`.
 */
export interface WindowLeaders {
  /** Most entries a voxel may have. */
  readonly slots: number;
  readonly count: Uint8Array;
  readonly offsets: Uint32Array;
  readonly ids: Uint16Array;
  readonly values: Float32Array;
  /** Each voxel's best logit. */
  readonly maxima: Float32Array;
}

/** Room for the leaders of a window of `size` voxels, `slots` a voxel. */
export function createWindowLeaders(size: number, slots: number): WindowLeaders {
  return {
    slots,
    count: new Uint8Array(size),
    offsets: new Uint32Array(size),
    // One spare entry takes what overflows the last voxel, so the sweep needs no test for room.
    ids: new Uint16Array(size * slots + 1),
    values: new Float32Array(size * slots + 1),
    maxima: new Float32Array(size),
  };
}

/** Voxels per block: a block's rows (860 KB at 105 classes), group maxima and masks stay in cache between the passes. */
const blockVoxels = 2048;

let kernel: LeadersKernel | undefined;

/**
 * Fills `lists` with each voxel's classes whose logit is within `reach` of its best (ascending class, with
 * their logits), from a window's [channels][voxel] output. Per block of voxels, the block's rows are copied into
 * WebAssembly memory (createLeadersKernel), where one SIMD pass reads every value, keeping each group's best (eight
 * class rows a group, more above 256 classes: at most 32 groups), the voxel's best and a finiteness probe, and a second
 * sets a bit for each group whose best is within reach of the voxel's best; the lists then read only those groups' rows
 * (one or two of 14 groups at 105 classes).
 * On a 105-class 96³ window (2-core Xeon, medians of 9 alternating, two runs): 115 and 128 ms against 218 and 254 for
 * the same two sweeps in JavaScript before, with the same lists entry for entry; about 60 of the 115 are the copy.
 * Returns 0, or NaN when a value is not finite.
 * @throws LeadersOverflow ('slots') when more classes than `lists.slots` are within reach at a voxel.
 */
export function windowLeaders(output: Float32Array, channels: number, size: number, reach: number, lists: WindowLeaders): number {
  const { count, offsets, slots, maxima, ids, values } = lists;
  if (kernel?.channels !== channels) kernel = createLeadersKernel(channels, blockVoxels);
  const k = kernel;
  const { rows, best, groupRows, thresholds } = k;
  const reachMasks = k.reach;
  k.resetProbe();
  let offset = 0;
  for (let from = 0; from < size; from += blockVoxels) {
    const to = Math.min(size, from + blockVoxels);
    const length = to - from;
    // The last block's lanes past its voxels are zeros: finite, and never listed.
    const padded = Math.ceil(length / 4) * 4;
    for (let c = 0; c < channels; c++) {
      rows.set(output.subarray(c * size + from, c * size + to), c * blockVoxels);
      if (padded > length) rows.fill(0, c * blockVoxels + length, c * blockVoxels + padded);
    }
    k.maxima(length);
    for (let v = 0; v < length; v++) {
      maxima[from + v] = best[v]!;
      // Stored as float32, as the lists are compared with it.
      thresholds[v] = best[v]! - reach;
    }
    k.masks(length);
    for (let v = 0; v < length; v++) {
      const t = thresholds[v]!;
      let n = 0;
      // Groups in ascending order, lowest bit first, so each list stays in ascending class order.
      for (let mask = reachMasks[v]!; mask !== 0; mask &= mask - 1) {
        const c0 = (31 - Math.clz32(mask & -mask)) * groupRows;
        const end = Math.min(channels, c0 + groupRows);
        for (let c = c0; c < end; c++) {
          const value = rows[c * blockVoxels + v]!;
          if (value >= t) {
            const entry = offset + (n < slots ? n : slots);
            ids[entry] = c;
            values[entry] = value;
            n++;
          }
        }
      }
      if (n > slots) throw new LeadersOverflow('slots');
      count[from + v] = n;
      offsets[from + v] = offset;
      offset += n;
    }
  }
  return k.probe();
}
