import type { LabelArray } from '../../core/labels/LabelArray.js';
import type { BeforeFill } from './applyLabelEdits.js';

/** One label's voxels in one layer, over the scan's values. */
export interface LabelSums {
  readonly count: number;
  /** Sums of (v − shift) and its square: shifting by a value of the label keeps the variance exact in doubles. */
  readonly sum: number;
  readonly sumSq: number;
  readonly shift: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Every label's sums per layer, kept up to date as runs are written, so that
 * an edit costs its own voxels rather than a pass over the volume.
 */
export interface LabelTally {
  /** Takes the run's voxels out of their old labels' sums and adds them to the new one's: applyLabelEdits' observer. */
  readonly beforeFill: BeforeFill;
  /** Each label's sums in `layers[layer]`: one pass the first time a layer is asked for, none after (but see createLabelTally). */
  readonly sumsOf: (layers: readonly LabelArray[], layer: number) => ReadonlyMap<number, LabelSums>;
}

interface Sums {
  count: number;
  sum: number;
  sumSq: number;
  shift: number;
  min: number;
  max: number;
  /** Voxels at min and at max: removing the last of them leaves the extreme unknown (stale) until the layer is read again. */
  atMin: number;
  atMax: number;
  /** Σ (v − shift)² of every voxel added or taken out since the label was read: what its sums' rounding error scales with. */
  mass: number;
  stale: boolean;
}

const none: ReadonlyMap<number, LabelSums> = new Map();

/**
 * A LabelTally over a scan's `values`. Counts, minima and maxima are exact,
 * and so are the sums of an integer scan while they stay below 2^53. A label
 * is read again (one pass over its layer, when next asked for) where that
 * could be lost: its minimum's or maximum's last voxel erased, or, on a float
 * scan, rounding that could have reached 2^-20 of what is left of its sums
 * (erasing nearly all of it); until then, a float scan's mean and SD may be
 * off in their last few digits, and a label that held a NaN or an infinity
 * (whose sums it turned to NaN) is read again once it is erased. A label
 * that empties starts afresh.
 */
export function createLabelTally(values: ArrayLike<number>): LabelTally {
  /** Per layer, each label's sums; undefined for a layer not yet asked for (its changes need no bookkeeping). */
  const byLayer: (Map<number, Sums> | undefined)[] = [];
  const staleLayers = new Set<number>();
  const integral = [Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array].some((type) => values instanceof type);
  /** Takes one voxel out; true when that leaves the label to be read again. */
  const remove = (s: Sums, v: number): boolean => {
    const d = v - s.shift;
    s.count--;
    s.sum -= d;
    s.sumSq -= d * d;
    s.mass += d * d;
    if (v === s.min && --s.atMin === 0) s.stale = true;
    if (v === s.max && --s.atMax === 0) s.stale = true;
    if ((!integral || s.mass > 2 ** 53) && s.sumSq < s.mass * 2 ** -20) s.stale = true;
    // A NaN or an infinity made the sums NaN for good: without it they are only found again by reading the layer.
    if (!Number.isFinite(v)) s.stale = true;
    return s.stale;
  };
  return {
    beforeFill(layer, labels, start, end, value) {
      const byValue = byLayer[layer];
      if (!byValue) return;
      let into = value === 0 ? undefined : byValue.get(value);
      let fromLabel = 0;
      let from: Sums | undefined;
      for (let n = start; n < end; n++) {
        const old = labels[n]!;
        if (old === value) continue;
        const v = values[n]!;
        if (old !== 0) {
          if (old !== fromLabel) {
            fromLabel = old;
            from = byValue.get(old)!;
          }
          if (remove(from!, v)) staleLayers.add(layer);
          if (from!.count === 0) byValue.delete(old);
        }
        if (value === 0) continue;
        if (!into) byValue.set(value, (into = newSums(v)));
        add(into, v);
      }
    },
    sumsOf(layers, layer) {
      const labels = layers[layer];
      if (!labels) return none;
      let byValue = byLayer[layer];
      if (!byValue) byLayer[layer] = byValue = accumulate(labels, values);
      else if (staleLayers.delete(layer)) reread(labels, values, byValue);
      return byValue;
    },
  };
}

function newSums(v: number): Sums {
  return { count: 0, sum: 0, sumSq: 0, shift: v, min: v, max: v, atMin: 0, atMax: 0, mass: 0, stale: false };
}

function add(s: Sums, v: number): void {
  const d = v - s.shift;
  s.count++;
  s.sum += d;
  s.sumSq += d * d;
  s.mass += d * d;
  if (v < s.min) {
    s.min = v;
    s.atMin = 1;
  } else if (v === s.min) s.atMin++;
  if (v > s.max) {
    s.max = v;
    s.atMax = 1;
  } else if (v === s.max) s.atMax++;
}

/** The full computation: one pass over a layer. */
function accumulate(labels: LabelArray, values: ArrayLike<number>): Map<number, Sums> {
  const byValue = new Map<number, Sums>();
  pass(labels, values, (label, first) => {
    let sums = byValue.get(label);
    if (!sums) byValue.set(label, (sums = newSums(first)));
    return sums;
  });
  return byValue;
}

/** Reads the stale labels' sums again, in one pass over their layer. */
function reread(labels: LabelArray, values: ArrayLike<number>, byValue: Map<number, Sums>): void {
  const stale = new Map<number, Sums>();
  for (const [label, s] of byValue) if (s.stale) stale.set(label, s);
  pass(labels, values, (label, first) => {
    const sums = stale.get(label);
    if (sums?.stale) Object.assign(sums, newSums(first));
    return sums;
  });
}

/** Adds every labelled voxel to the sums `sumsOf` gives its label (asked once per run of one label; none: left out). */
function pass(labels: LabelArray, values: ArrayLike<number>, sumsOf: (label: number, first: number) => Sums | undefined): void {
  let label = 0;
  let sums: Sums | undefined;
  for (let n = 0; n < labels.length; n++) {
    if (labels[n] === 0) continue;
    if (labels[n] !== label) {
      label = labels[n]!;
      sums = sumsOf(label, values[n]!);
    }
    if (sums) add(sums, values[n]!);
  }
}
