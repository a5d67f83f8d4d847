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

/** Voxels per block: a block's lists and thresholds stay in cache while its class rows stream past. */
const blockVoxels = 2048;
/** Class rows read together: 8 rows for the lists, 4 for the maxima (measured fastest of 1, 4 and 8 on a 105-class 96³ window). */
const listRows = 8;
const maximaRows = 4;

/**
 * Fills `lists` with each voxel's classes whose logit is within `reach` of its best (ascending class, with
 * their logits), from a window's [channels][voxel] output: per block of voxels, one sweep for the best and
 * one for the classes (see listLeaders). Each sweep reads several class rows together, so a voxel's running
 * best and threshold are loaded once for them (on a 105-class 96³ window, 2 cores, load 1.4: maxima 98
 * against 168 ms one row at a time, lists 113 against 180 ms). A single sweep keeping a running best was
 * measured slower still (479 against 362 ms for the two one-row sweeps, load 5.5).
 * Returns 0, or NaN when a value is not finite.
 * @throws LeadersOverflow ('slots') when more classes than `lists.slots` are within reach at a voxel.
 */
export function windowLeaders(output: Float32Array, channels: number, size: number, reach: number, lists: WindowLeaders): number {
  return sweepBlocks(output, channels, size, reach, lists, true);
}

/**
 * windowLeaders with each voxel's best already in `lists.maxima` (the exact maximum of its classes' logits wherever
 * they are all finite; anything where one is not, as the answer is then NaN whatever the maxima).
 * Returns 0, or NaN when a value is not finite.
 * @throws LeadersOverflow ('slots') when more classes than `lists.slots` are within reach at a voxel.
 */
export function listLeaders(output: Float32Array, channels: number, size: number, reach: number, lists: WindowLeaders): number {
  return sweepBlocks(output, channels, size, reach, lists, false);
}

function sweepBlocks(output: Float32Array, channels: number, size: number, reach: number, lists: WindowLeaders, maxima: boolean): number {
  const { count, slots } = lists;
  count.fill(0);
  let finite = true;
  const scratch = new Float64Array(Math.min(size, blockVoxels));
  for (let from = 0; from < size; from += blockVoxels) {
    const to = Math.min(size, from + blockVoxels);
    if (maxima) blockMaxima(output, channels, size, lists.maxima, from, to, scratch);
    blockThresholds(lists, reach, from, to, scratch);
    finite = listBlock(output, channels, size, lists, from, to, scratch) && finite;
    for (let v = from; v < to; v++) if (count[v]! > slots) throw new LeadersOverflow('slots');
  }
  return finite ? 0 : NaN;
}

/** Each voxel's best logit into `maxima` (NaN never wins a comparison: listBlock finds it), running bests in `scratch`. */
function blockMaxima(output: Float32Array, channels: number, size: number, maxima: Float32Array, from: number, to: number, scratch: Float64Array): void {
  const length = to - from;
  for (let v = 0; v < length; v++) scratch[v] = output[from + v]!;
  let c = 1;
  for (; c + maximaRows <= channels; c += maximaRows) {
    const row = c * size + from;
    for (let v = 0; v < length; v++) {
      const at = row + v;
      let best = scratch[v]!;
      const a = output[at]!;
      const b = output[at + size]!;
      const d = output[at + 2 * size]!;
      const e = output[at + 3 * size]!;
      if (a > best) best = a;
      if (b > best) best = b;
      if (d > best) best = d;
      if (e > best) best = e;
      scratch[v] = best;
    }
  }
  for (; c < channels; c++) {
    const row = c * size + from;
    for (let v = 0; v < length; v++) {
      const value = output[row + v]!;
      if (value > scratch[v]!) scratch[v] = value;
    }
  }
  for (let v = 0; v < length; v++) maxima[from + v] = scratch[v]!;
}

/** Each voxel's best less `reach` into `lists.thresholds` (float32, as stored) and into `scratch` for listBlock. */
function blockThresholds(lists: WindowLeaders, reach: number, from: number, to: number, scratch: Float64Array): void {
  const { maxima, thresholds } = lists;
  for (let v = from; v < to; v++) {
    thresholds[v] = maxima[v]! - reach;
    scratch[v - from] = thresholds[v]!;
  }
}

/**
 * Lists a block's classes at or above their voxel's threshold (`scratch`), eight class rows at a time: a voxel
 * where none of the eight is in reach (nearly all) costs eight compares. Finiteness is probed on the eight's
 * sum, which is not finite exactly when one of them is not: a double cannot overflow adding eight float32 values.
 */
function listBlock(output: Float32Array, channels: number, size: number, lists: WindowLeaders, from: number, to: number, scratch: Float64Array): boolean {
  const length = to - from;
  let finite = true;
  let c = 0;
  for (; c + listRows <= channels; c += listRows) {
    const row = c * size + from;
    for (let v = 0; v < length; v++) {
      const t = scratch[v]!;
      const at = row + v;
      const a = output[at]!;
      const b = output[at + size]!;
      const d = output[at + 2 * size]!;
      const e = output[at + 3 * size]!;
      const f = output[at + 4 * size]!;
      const g = output[at + 5 * size]!;
      const h = output[at + 6 * size]!;
      const k = output[at + 7 * size]!;
      if (a >= t || b >= t || d >= t || e >= t || f >= t || g >= t || h >= t || k >= t) {
        for (let q = 0; q < listRows; q++) {
          const value = output[at + q * size]!;
          if (value >= t) add(lists, from + v, c + q, value);
        }
      }
      const sum = a + b + d + e + f + g + h + k;
      if (sum - sum !== 0) finite = false;
    }
  }
  for (; c < channels; c++) {
    const row = c * size + from;
    for (let v = 0; v < length; v++) {
      const value = output[row + v]!;
      if (value >= scratch[v]!) add(lists, from + v, c, value);
      if (value - value !== 0) finite = false;
    }
  }
  return finite;
}

/** Appends class c with its logit to voxel v's list; a voxel past `slots` keeps counting (its extras go to the spare slot). */
function add(lists: WindowLeaders, v: number, c: number, value: number): void {
  const { count, ids, values, slots } = lists;
  const n = count[v]!;
  const at = v * (slots + 1) + (n < slots ? n : slots);
  ids[at] = c;
  values[at] = value;
  count[v] = n < 255 ? n + 1 : n;
}
