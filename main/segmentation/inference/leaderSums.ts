import type { LeaderPlane } from './LeaderPlane.js';
import { LeadersOverflow } from './LeadersOverflow.js';
import type { WindowLeaders } from './windowLeaders.js';

/** The dense path's softmax sets a class this far below the voxel's best to exactly 0 (see activate). */
const softmaxCut = 30;
/** A bound must lie this much further below before its class is taken as 0: room for the rounding of float32 sums near 10^4. */
const cutMargin = 1;
/** A leader this far above every other class at a voxel is its plane's `sure` leader (see LeaderPlane). */
const sureMargin = 0.5;

export interface LeaderSumsGeometry {
  readonly channels: number;
  /** The padded plane's size along i and j, and the padding before the image along each. */
  readonly padded: readonly [number, number];
  readonly padBefore: readonly [number, number];
  /** The image's size along i and j. */
  readonly image: readonly [number, number];
  readonly roiK: number;
  /** Classes held per voxel (at most 8). */
  readonly slots: number;
  /** How far below a window's best windowLeaders lists a class. */
  readonly reach: number;
}

export interface LeaderSums {
  /** Adds one window's leaders (from windowLeaders) at `window` with its importance `weights` (undefined: constant). */
  add(lists: WindowLeaders, window: readonly [number, number, number], roi: readonly [number, number, number], weights: Float32Array | undefined): void;
  /**
   * Finishes `planes.length` consecutive k slots from `slot` into `planes` (image-sized, `slots` a voxel; see
   * createLeaderPlane): softmax over each voxel's leaders, cropped to the image; clears the slots.
   */
  finish(slot: number, planes: readonly LeaderPlane[]): void;
  /** Clears `count` consecutive k slots from `slot` unfinished (planes of padding, which no one reads). */
  clear(slot: number, count: number): void;
}

/**
 * The many-class store of the sliding window's weighted sums, for softmax then argmax. Per band voxel it
 * keeps only the classes that came within reach of the best logit in some window (`slots` of them: class
 * id and weighted sum, added in the same float32 steps as the dense sums, so a class listed in every window
 * has the dense path's sum to the bit). Any other class was below (window best − reach) in the windows
 * that did not list it, so its sum is at most the same sum with that value in their place: a kept class
 * that missed a window adds it (and is marked), and `floor` sums it for the classes never kept. At the
 * finish, when every such bound averages more than 30 (the dense softmax's cut, plus a margin) below the
 * best exact average, those classes have probability exactly 0 in the dense path too, and the others'
 * probabilities are computed as activate computes them: the same planes, to the bit. Otherwise the voxel
 * is undecided and LeadersOverflow asks for the dense path.
 * 105 classes over 273×273×96 slots: 0.4 GB here against 1.5 GB (half precision) or 3 GB (float32).
 */
export function createLeaderSums(geometry: LeaderSumsGeometry): LeaderSums {
  const { slots, reach, roiK } = geometry;
  if (slots > 8) throw new RangeError('the leaders store marks missed windows in 8 bits');
  const [pi, pj] = geometry.padded;
  const voxels = pi * pj * roiK;
  const count = new Uint8Array(voxels);
  const missed = new Uint8Array(voxels);
  // Class ids in a byte up to 256 classes (57 MB less at 273×273×96 voxels of 8 slots).
  const ids = geometry.channels <= 256 ? new Uint8Array(voxels * slots) : new Uint16Array(voxels * slots);
  const sums = new Float32Array(voxels * slots);
  const floor = new Float32Array(voxels);
  const weight = new Float32Array(voxels);
  const scratch = { averages: new Float32Array(slots), exps: new Float32Array(slots), order: new Uint16Array(slots) };

  /** Merges window voxel p's leaders into band voxel t with weight w. */
  const merge = (lists: WindowLeaders, p: number, t: number, w: number): void => {
    const kept = count[t]!;
    const base = t * slots;
    const listed = lists.count[p]!;
    const from = lists.offsets[p]!;
    const below = lists.maxima[p]! - reach;
    const before = weight[t]!;
    const floorBefore = floor[t]!;
    floor[t] = floorBefore + w * below;
    weight[t] = before + w;
    // Windows that agree list the same classes in the same (class) order as the store holds them: add them in one run.
    let same = kept === listed;
    for (let s = 0; same && s < kept; s++) same = ids[base + s] === lists.ids[from + s];
    if (same) {
      for (let s = 0; s < kept; s++) sums[base + s] = sums[base + s]! + w * lists.values[from + s]!;
      return;
    }
    let used = 0;
    let miss = missed[t]!;
    for (let s = 0; s < kept; s++) {
      const id = ids[base + s]!;
      let e = 0;
      while (e < listed && lists.ids[from + e] !== id) e++;
      if (e < listed) {
        sums[base + s] = sums[base + s]! + w * lists.values[from + e]!;
        used |= 1 << e;
      } else {
        sums[base + s] = sums[base + s]! + w * below;
        miss |= 1 << s;
      }
    }
    let n = kept;
    for (let e = 0; e < listed; e++) {
      if (used & (1 << e)) continue;
      if (n === slots) throw new LeadersOverflow('slots');
      ids[base + n] = lists.ids[from + e]!;
      sums[base + n] = before > 0 ? floorBefore + w * lists.values[from + e]! : w * lists.values[from + e]!;
      if (before > 0) miss |= 1 << n;
      n++;
    }
    count[t] = n;
    missed[t] = miss;
  };

  function clear(slot: number, blockCount: number): void {
    for (let p = 0; p < pi * pj; p++) {
      for (let t = p * roiK + slot; t < p * roiK + slot + blockCount; t++) {
        count[t] = 0;
        missed[t] = 0;
        floor[t] = 0;
        weight[t] = 0;
      }
    }
  }

  return {
    add(lists, window, roi, weights) {
      const first = window[2] % roiK;
      for (let x = 0; x < roi[0]; x++) {
        for (let y = 0; y < roi[1]; y++) {
          const inPlane = (window[0] + x + pi * (window[1] + y)) * roiK;
          const row = (x * roi[1] + y) * roi[2];
          for (let z = 0, slot = first; z < roi[2]; z++, slot = slot + 1 === roiK ? 0 : slot + 1) {
            merge(lists, row + z, inPlane + slot, weights ? weights[row + z]! : 1);
          }
        }
      }
    },
    finish(slot, planes) {
      const [ni, nj] = geometry.image;
      const [bi, bj] = geometry.padBefore;
      const blockCount = planes.length;
      // The block's planes together, voxel by voxel: a voxel's k slots lie side by side in the store, whose planes
      // are roi_k slots apart (3 KB of sums): one plane at a time met a cache miss in every array at every voxel.
      for (let j = 0; j < nj; j++) {
        for (let i = 0; i < ni; i++) {
          const first = (i + bi + pi * (j + bj)) * roiK + slot;
          for (let b = 0; b < blockCount; b++) finishVoxel(first + b, planes[b]!, i + ni * j);
        }
      }
      clear(slot, blockCount);
    },
    clear,
  };

  /**
   * Softmax over band voxel t's exact leaders into plane voxel v, as activate computes it from the float32
   * averages (exponentials summed in class order), then ordered most probable first for the inverter.
   */
  function finishVoxel(t: number, plane: LeaderPlane, v: number): void {
    const { averages, exps, order } = scratch;
    const kept = sortByClass(t);
    const miss = missed[t]!;
    const base = t * slots;
    const w = weight[t]!;
    let max = -Infinity;
    let bound = kept < geometry.channels ? Math.fround(floor[t]! / w) : -Infinity;
    for (let s = 0; s < kept; s++) {
      const value = Math.fround(sums[base + s]! / w);
      averages[s] = value;
      if (miss & (1 << s)) bound = Math.max(bound, value);
      else max = Math.max(max, value);
    }
    if (max === -Infinity || bound >= max - softmaxCut - cutMargin) throw new LeadersOverflow('undecided');
    let total = 0;
    let n = 0;
    for (let s = 0; s < kept; s++) {
      const d = averages[s]! - max;
      if (miss & (1 << s) || d < -softmaxCut) continue;
      // The best class's own term is exp(0), exactly 1: most voxels need no exponential at all (Math.exp was a third of the finish).
      const e = d === 0 ? 1 : Math.exp(d);
      total += e;
      // Insertion by falling value (ties: lower class first), so the inverter meets each voxel's leader first.
      const f = Math.fround(e);
      const id = ids[base + s]!;
      let at = n++;
      while (at > 0 && exps[at - 1]! < f) {
        exps[at] = exps[at - 1]!;
        order[at] = order[at - 1]!;
        at--;
      }
      exps[at] = f;
      order[at] = id;
    }
    const out = v * slots;
    for (let s = 0; s < n; s++) {
      plane.ids[out + s] = order[s]!;
      plane.probabilities[out + s] = Math.fround(exps[s]! / total);
    }
    plane.count[v] = n;
    const second = n > 1 ? plane.probabilities[out + 1]! : 0;
    plane.sure[v] = n > 0 && plane.probabilities[out]! - second >= sureMargin ? order[0]! : -1;
  }

  /** Orders band voxel t's kept classes by class (with their sums and missed marks), as the dense softmax meets them; returns how many. */
  function sortByClass(t: number): number {
    const kept = count[t]!;
    const base = t * slots;
    let miss = missed[t]!;
    for (let s = 1; s < kept; s++) {
      const id = ids[base + s]!;
      const sum = sums[base + s]!;
      const bit = (miss >> s) & 1;
      let at = s;
      while (at > 0 && ids[base + at - 1]! > id) {
        ids[base + at] = ids[base + at - 1]!;
        sums[base + at] = sums[base + at - 1]!;
        miss = (miss & ~(1 << at)) | (((miss >> (at - 1)) & 1) << at);
        at--;
      }
      ids[base + at] = id;
      sums[base + at] = sum;
      miss = (miss & ~(1 << at)) | (bit << at);
    }
    missed[t] = miss;
    return kept;
  }
}
