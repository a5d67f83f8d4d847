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

/** Voxels per block: a block's 105 class rows (8 KiB each) stay in cache between its two sweeps. */
const blockVoxels = 2048;

/**
 * Fills `lists` with each voxel's classes whose logit is within `reach` of its best (ascending class, with
 * their logits), from a window's [channels][voxel] output: per block of voxels, one sweep for the best and
 * one for the classes, class by class so every read is sequential. (A single sweep keeping a running best
 * was measured slower: 479 against 362 ms a 105-class 96³ window, best of 6, load 5.5.)
 * Returns 0, or NaN when a value is not finite.
 * @throws LeadersOverflow ('slots') when more classes than `lists.slots` are within reach at a voxel.
 */
export function windowLeaders(output: Float32Array, channels: number, size: number, reach: number, lists: WindowLeaders): number {
  const { count, slots } = lists;
  count.fill(0);
  let finite = true;
  for (let from = 0; from < size; from += blockVoxels) {
    const to = Math.min(size, from + blockVoxels);
    finite = blockThresholds(output, channels, size, reach, lists, from, to) && finite;
    finite = listBlock(output, channels, size, lists, from, to) && finite;
    for (let v = from; v < to; v++) if (count[v]! > slots) throw new LeadersOverflow('slots');
  }
  return finite ? 0 : NaN;
}

/** Each voxel's best logit into `maxima`, less `reach` into `thresholds`; false when a best is not finite (an infinity, or NaN first). */
function blockThresholds(output: Float32Array, channels: number, size: number, reach: number, lists: WindowLeaders, from: number, to: number): boolean {
  const { maxima, thresholds } = lists;
  for (let v = from; v < to; v++) maxima[v] = output[v]!;
  for (let c = 1; c < channels; c++) {
    const offset = c * size;
    for (let v = from; v < to; v++) {
      const value = output[offset + v]!;
      if (value > maxima[v]!) maxima[v] = value;
    }
  }
  let finite = true;
  for (let v = from; v < to; v++) {
    const best = maxima[v]!;
    if (best - best !== 0) finite = false;
    thresholds[v] = best - reach;
  }
  return finite;
}

/** Lists a block's classes at or above their voxel's threshold; a voxel past `slots` keeps counting (its extras go to a spare slot). */
function listBlock(output: Float32Array, channels: number, size: number, lists: WindowLeaders, from: number, to: number): boolean {
  const { count, ids, values, thresholds, slots } = lists;
  const stride = slots + 1;
  let finite = true;
  for (let c = 0; c < channels; c++) {
    const offset = c * size;
    for (let v = from; v < to; v++) {
      const value = output[offset + v]!;
      if (value >= thresholds[v]!) {
        const n = count[v]!;
        const at = v * stride + (n < slots ? n : slots);
        ids[at] = c;
        values[at] = value;
        count[v] = n < 255 ? n + 1 : n;
      } else if (value - value !== 0) {
        // A test per value rather than a running sum of 0 × value: a sum is one long chain of dependent adds.
        finite = false;
      }
    }
  }
  return finite;
}
