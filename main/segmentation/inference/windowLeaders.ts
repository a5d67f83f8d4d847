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

/** Voxels per block: a block's group maxima (14 × 2048 doubles at 105 classes) and lists stay in cache between its two sweeps. */
const blockVoxels = 2048;
/** Class rows per group: the first sweep reads a group's rows together, the second only the groups in reach. */
const groupRows = 8;

/**
 * Fills `lists` with each voxel's classes whose logit is within `reach` of its best (ascending class, with
 * their logits), from a window's [channels][voxel] output. Per block of voxels, one sweep reads every value, eight
 * class rows together, keeping each group's best, the voxel's best, and a finiteness probe (the eight's sum, not finite
 * exactly when one of them is not: a double cannot overflow adding eight float32 values); a second sweep reads only
 * the rows of groups whose best is within reach of the voxel's best (one or two of 14 groups at 105 classes).
 * On a 105-class 96³ window (2 cores, others' work on the machine, load 5, median of 8 alternating): 243 ms against
 * 343 for two full sweeps (maxima, then the lists, reading 4 and 8 rows together) and 367 for ONNX Runtime's
 * ReduceMax (2 threads) followed by the full list sweep; the two sweeps one row at a time, before, took 766 ms against
 * 453 for the 4-and-8-row sweeps (load 4).
 * Returns 0, or NaN when a value is not finite.
 * @throws LeadersOverflow ('slots') when more classes than `lists.slots` are within reach at a voxel.
 */
export function windowLeaders(output: Float32Array, channels: number, size: number, reach: number, lists: WindowLeaders): number {
  const { count, slots } = lists;
  count.fill(0);
  const groups = Math.ceil(channels / groupRows);
  const block = Math.min(size, blockVoxels);
  const scratch: BlockScratch = { groupMaxima: new Float64Array(groups * block), thresholds: new Float64Array(block) };
  let finite = true;
  for (let from = 0; from < size; from += blockVoxels) {
    const to = Math.min(size, from + blockVoxels);
    finite = blockMaxima(output, channels, size, from, to, scratch) && finite;
    blockThresholds(lists, reach, from, to, scratch);
    listBlock(output, channels, size, lists, from, to, scratch);
    for (let v = from; v < to; v++) if (count[v]! > slots) throw new LeadersOverflow('slots');
  }
  return finite ? 0 : NaN;
}

interface BlockScratch {
  /** Each group's best at each voxel of the block, [group][voxel in block]. */
  readonly groupMaxima: Float64Array;
  /** The voxels' bests, then their thresholds. */
  readonly thresholds: Float64Array;
}

/** Each group's best and each voxel's best into `scratch` (NaN never wins a comparison); false when a value is not finite. */
function blockMaxima(output: Float32Array, channels: number, size: number, from: number, to: number, scratch: BlockScratch): boolean {
  const { groupMaxima, thresholds: best } = scratch;
  const length = to - from;
  const block = best.length;
  best.fill(-Infinity, 0, length);
  let finite = true;
  for (let c0 = 0, g = 0; c0 < channels; c0 += groupRows, g++) {
    const row = c0 * size + from;
    const groupRow = g * block;
    if (c0 + groupRows > channels) {
      finite = partialGroupMaxima(output, channels - c0, size, row, length, groupMaxima.subarray(groupRow), best) && finite;
      continue;
    }
    for (let v = 0; v < length; v++) {
      const at = row + v;
      const a = output[at]!;
      const b = output[at + size]!;
      const d = output[at + 2 * size]!;
      const e = output[at + 3 * size]!;
      const f = output[at + 4 * size]!;
      const h = output[at + 5 * size]!;
      const k = output[at + 6 * size]!;
      const l = output[at + 7 * size]!;
      let m = a;
      if (b > m) m = b;
      if (d > m) m = d;
      if (e > m) m = e;
      if (f > m) m = f;
      if (h > m) m = h;
      if (k > m) m = k;
      if (l > m) m = l;
      groupMaxima[groupRow + v] = m;
      if (m > best[v]!) best[v] = m;
      const sum = a + b + d + e + f + h + k + l;
      if (sum - sum !== 0) finite = false;
    }
  }
  return finite;
}

/** blockMaxima for a last group of fewer than eight rows. */
function partialGroupMaxima(
  output: Float32Array,
  rows: number,
  size: number,
  row: number,
  length: number,
  groupMaxima: Float64Array,
  best: Float64Array,
): boolean {
  let finite = true;
  for (let v = 0; v < length; v++) {
    let m = -Infinity;
    for (let q = 0; q < rows; q++) {
      const value = output[row + q * size + v]!;
      if (value > m) m = value;
      if (value - value !== 0) finite = false;
    }
    groupMaxima[v] = m;
    if (m > best[v]!) best[v] = m;
  }
  return finite;
}

/** Each voxel's best into `lists.maxima`, less `reach` into `lists.thresholds` (float32, as stored) and into `scratch` for listBlock. */
function blockThresholds(lists: WindowLeaders, reach: number, from: number, to: number, scratch: BlockScratch): void {
  const { maxima, thresholds } = lists;
  const best = scratch.thresholds;
  for (let v = from; v < to; v++) {
    maxima[v] = best[v - from]!;
    thresholds[v] = maxima[v]! - reach;
    best[v - from] = thresholds[v]!;
  }
}

/** Lists a block's classes at or above their voxel's threshold, reading only the rows of groups whose best reaches it. */
function listBlock(output: Float32Array, channels: number, size: number, lists: WindowLeaders, from: number, to: number, scratch: BlockScratch): void {
  const { groupMaxima, thresholds } = scratch;
  const length = to - from;
  const block = thresholds.length;
  for (let c0 = 0, g = 0; c0 < channels; c0 += groupRows, g++) {
    const end = Math.min(channels, c0 + groupRows);
    const groupRow = g * block;
    for (let v = 0; v < length; v++) {
      const t = thresholds[v]!;
      if (!(groupMaxima[groupRow + v]! >= t)) continue;
      for (let c = c0; c < end; c++) {
        const value = output[c * size + from + v]!;
        if (value >= t) addLeader(lists, from + v, c, value);
      }
    }
  }
}

/** Appends class c with its logit to voxel v's list; a voxel past `slots` keeps counting (its extras go to the spare slot). */
function addLeader(lists: WindowLeaders, v: number, c: number, value: number): void {
  const { count, ids, values, slots } = lists;
  const n = count[v]!;
  const at = v * (slots + 1) + (n < slots ? n : slots);
  ids[at] = c;
  values[at] = value;
  count[v] = n < 255 ? n + 1 : n;
}
