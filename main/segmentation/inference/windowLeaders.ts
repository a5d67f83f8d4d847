import { createLeadersKernel, type LeadersKernel } from './createLeadersKernel.js';
import { LeadersOverflow } from './LeadersOverflow.js';

/** Per voxel of one window: the classes within reach of the voxel's best logit (ascending class) and their logits; voxel v's at v × (slots + 1). */
export interface WindowLeaders {
  readonly slots: number;
  readonly count: Uint8Array;
  readonly ids: Uint16Array;
  readonly values: Float32Array;
  /** Each voxel's best logit, and that less the reach. */
  readonly maxima: Float32Array;
  readonly thresholds: Float32Array;
}

/** Room for the leaders of a window of `size` voxels, `slots` a voxel. */
export function createWindowLeaders(size: number, slots: number): WindowLeaders {
  return {
    slots,
    count: new Uint8Array(size),
    // One spare slot a voxel takes what overflows, so the sweep needs no test for room.
    ids: new Uint16Array(size * (slots + 1)),
    values: new Float32Array(size * (slots + 1)),
    maxima: new Float32Array(size),
    thresholds: new Float32Array(size),
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
  const { count, slots, maxima, thresholds, ids, values } = lists;
  if (kernel?.channels !== channels) kernel = createLeadersKernel(channels, blockVoxels);
  const k = kernel;
  const { rows, best, groupRows } = k;
  const blockThresholds = k.thresholds;
  const reachMasks = k.reach;
  count.fill(0);
  k.resetProbe();
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
      thresholds[from + v] = maxima[from + v]! - reach;
      blockThresholds[v] = thresholds[from + v]!;
    }
    k.masks(length);
    for (let v = 0; v < length; v++) {
      const t = blockThresholds[v]!;
      const at = from + v;
      // Groups in ascending order, lowest bit first, so each list stays in ascending class order.
      for (let mask = reachMasks[v]!; mask !== 0; mask &= mask - 1) {
        const c0 = (31 - Math.clz32(mask & -mask)) * groupRows;
        const end = Math.min(channels, c0 + groupRows);
        for (let c = c0; c < end; c++) {
          const value = rows[c * blockVoxels + v]!;
          if (value >= t) {
            const n = count[at]!;
            const slot = at * (slots + 1) + (n < slots ? n : slots);
            ids[slot] = c;
            values[slot] = value;
            count[at] = n < 255 ? n + 1 : n;
          }
        }
      }
      if (count[at]! > slots) throw new LeadersOverflow('slots');
    }
  }
  return k.probe();
}
