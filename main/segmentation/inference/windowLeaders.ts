import { LeadersOverflow } from './LeadersOverflow.js';

/** Per voxel of one window: the classes within reach of the voxel's best logit (ascending class) and their logits; voxel v's at v × (slots + 1). */
export interface WindowLeaders {
  readonly slots: number;
  readonly count: Uint8Array;
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
    // One spare slot a voxel takes what overflows, so the sweep needs no test for room.
    ids: new Uint16Array(size * (slots + 1)),
    values: new Float32Array(size * (slots + 1)),
    maxima: new Float32Array(size),
  };
}

/** Voxels per block: a block's 105 class rows (8 KiB each) stay in cache while it is swept. */
const blockVoxels = 2048;
/** Classes whose values seed a block's maxima: those that led in the block before (neighbours along the window). */
const seedClasses = 8;

/**
 * Fills `lists` with each voxel's classes whose logit is within `reach` of its best, from a window's
 * [channels][voxel] output, in blocks of voxels swept class by class (every read sequential). Each voxel's
 * best is first guessed from the few classes that led in the block before, then one sweep over every class
 * keeps those within reach of the running best (raising it where a class beats it, and dropping what falls
 * out of reach): one read of the output instead of one for the maxima and one for the classes.
 * Returns the sum of 0 × every value: NaN when one is not finite.
 * @throws LeadersOverflow ('slots') when more classes than `lists.slots` are within reach of a voxel's running best.
 */
export function windowLeaders(output: Float32Array, channels: number, size: number, reach: number, lists: WindowLeaders): number {
  const { count, maxima } = lists;
  count.fill(0);
  const seeds = new Int32Array(seedClasses);
  let seedCount = 0;
  let probe = 0;
  for (let from = 0; from < size; from += blockVoxels) {
    const to = Math.min(size, from + blockVoxels);
    seedMaxima(output, size, maxima, seeds, seedCount, from, to);
    probe += sweepBlock(output, channels, size, reach, lists, from, to);
    seedCount = 0;
    for (let v = from; v < to; v++) seedCount = finishVoxel(lists, v, reach, seeds, seedCount);
  }
  return probe;
}

/**
 * Drops what fell out of reach of voxel v's best from its list; the class at the best joins the next
 * block's seeds. Returns the seed count.
 * @throws LeadersOverflow when more than `slots` classes remain (or were lost past the spare slot).
 */
function finishVoxel(lists: WindowLeaders, v: number, reach: number, seeds: Int32Array, seedCount: number): number {
  const { count, ids, values, maxima, slots } = lists;
  const n = count[v]!;
  if (n > slots + 1) throw new LeadersOverflow('slots');
  const base = v * (slots + 1);
  let kept = 0;
  for (let e = 0; e < n; e++) {
    const value = values[base + e]!;
    const gap = value - maxima[v]!;
    if (gap < -reach) continue;
    const c = ids[base + e]!;
    if (gap === 0 && seedCount < seedClasses) {
      let s = 0;
      while (s < seedCount && seeds[s] !== c) s++;
      if (s === seedCount) seeds[seedCount++] = c;
    }
    ids[base + kept] = c;
    values[base + kept++] = value;
  }
  if (kept > slots) throw new LeadersOverflow('slots');
  count[v] = kept;
  return seedCount;
}

function seedMaxima(output: Float32Array, size: number, target: Float32Array, seeds: Int32Array, seedCount: number, from: number, to: number): void {
  target.fill(-Infinity, from, to);
  for (let s = 0; s < seedCount; s++) {
    const offset = seeds[s]! * size;
    for (let v = from; v < to; v++) {
      const value = output[offset + v]!;
      if (value > target[v]!) target[v] = value;
    }
  }
}

/** One sweep over a block: lists each class within reach of the running best; NaN when a value is not finite. */
function sweepBlock(output: Float32Array, channels: number, size: number, reach: number, lists: WindowLeaders, from: number, to: number): number {
  const { maxima } = lists;
  let finite = true;
  for (let c = 0; c < channels; c++) {
    const offset = c * size;
    for (let v = from; v < to; v++) {
      const value = output[offset + v]!;
      // A test per value rather than a running sum of 0 × value: a sum is one long chain of dependent adds.
      if (value >= maxima[v]! - reach) {
        if (value === Infinity) finite = false;
        keep(lists, v, c, value, reach);
      } else if (value - value !== 0) finite = false;
    }
  }
  return finite ? 0 : NaN;
}

/** Adds class c's value to voxel v's list, raising its best; a full list drops what fell out of reach, and counts past `slots` when nothing did. */
function keep(lists: WindowLeaders, v: number, c: number, value: number, reach: number): void {
  const { count, ids, values, maxima, slots } = lists;
  if (value > maxima[v]!) maxima[v] = value;
  const base = v * (slots + 1);
  let n = count[v]!;
  if (n >= slots) {
    let kept = 0;
    const floor = maxima[v]! - reach;
    for (let e = 0; e < Math.min(n, slots + 1); e++) {
      if (values[base + e]! < floor) continue;
      ids[base + kept] = ids[base + e]!;
      values[base + kept++] = values[base + e]!;
    }
    n = n > slots + 1 ? n : kept;
  }
  ids[base + Math.min(n, slots)] = c;
  values[base + Math.min(n, slots)] = value;
  count[v] = Math.min(n + 1, 255);
}
