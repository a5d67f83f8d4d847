import type { SpatialInverse } from '../pipeline/preprocessVolume.js';
import type { LabelArray } from '../../../core/labels/LabelArray.js';
import { planeLeaders, type PlaneLeaders } from './planeLeaders.js';
import type { LeaderPlane } from './LeaderPlane.js';
import { leaderArgmax, type BlendedLeaders } from './leaderArgmax.js';
import { addOnce } from './addOnce.js';
import { sureCells } from './sureCells.js';
import { axisSamples, type AxisSamples } from './axisSamples.js';

export interface InverterOptions {
  readonly channels: number;
  /** Interpolate probabilities (Invertd with nearest_interp false after a bilinear Spacingd) or take the nearest. */
  readonly interpolation: 'linear' | 'nearest';
  /** argmax over channels, or per-channel threshold (label = 1 + last channel at or above it). */
  readonly discrete: { readonly kind: 'argmax' } | { readonly kind: 'threshold'; readonly value: number };
  /**
   * For argmax: interpolate every class at every voxel ('all', the plain computation), or only the
   * classes that can win ('candidates', the same labels; see emitSourcePlane). Default 'all'.
   */
  readonly winners?: 'all' | 'candidates';
}

export interface Inverter {
  /** Takes network planes in ascending k (C planes of I×J, i fastest) and keeps the latest two as they are: the caller must not change them. */
  onPlane(k: number, plane: Float32Array): void;
  /** Takes the leaders store's planes instead (softmax probabilities, argmax only), likewise in ascending k. */
  onLeaders(k: number, plane: LeaderPlane): void;
  /** The label map on the oriented source grid (i fastest). */
  finish(): LabelArray;
}

/**
 * Invertd then AsDiscreted, streamed: each oriented-source plane is computed
 * as soon as the one or two network planes it lies between have arrived, so
 * full-resolution probabilities for every class are never held at once.
 * Network voxels outside the network grid (the inverse of a crop) count as 0.
 */
export function createInverter(inverse: SpatialInverse, options: InverterOptions): Inverter {
  const [si, sj, sk] = inverse.orientedDimensions;
  const [di, dj, dk] = inverse.networkDimensions;
  const axes = [0, 1, 2].map((a) => axisSamples(inverse, a, options.interpolation));
  const [ax, ay, az] = axes as [AxisSamples, AxisSamples, AxisSamples];
  const labels = options.channels > 256 ? new Uint16Array(si * sj * sk) : new Uint8Array(si * sj * sk);
  const planeValues = options.channels * di * dj;
  const held = new Map<number, Float32Array>();
  const heldLeaders = new Map<number, LeaderPlane>();
  const heldCells = new Map<number, Int32Array>();
  /** The sure cells of the two planes a source plane blends, combined (see sureCells). */
  const pairCells = new Int32Array(di * dj);
  // Every oriented-source voxel takes one network voxel whole (nearest, or Spacingd kept the grid): argmax is then a lookup.
  const aligned = options.discrete.kind === 'argmax' && axes.every(takesWholeVoxels);
  const candidates = options.winners === 'candidates' && options.discrete.kind === 'argmax' && !aligned;
  const leaders = new Map<number, PlaneLeaders>();
  const values = new Float32Array(options.channels);
  /** Stands for a leader plane's presence where the dense planes are looked up. */
  const empty = new Float32Array(0);
  let nextSource = 0;
  const lastNeeded = (l: number): number => {
    const lo = az.lower[l]!;
    const hi = az.upperWeight[l]! > 0 ? lo + 1 : lo;
    return Math.min(Math.max(hi, az.lowerWeight[l]! > 0 ? lo : -1), dk - 1);
  };
  const taps = new Int32Array(4);
  const tapWeights = new Float64Array(4);
  const found = new Int32Array(64);
  /** The third-value bound and the blend's magnitude at the voxel, summed by gatherCandidates. */
  const bounds = new Float64Array(2);
  /**
   * One oriented-source plane: each voxel's value of a class is the trilinear blend of its (up to)
   * eight network neighbours, k first (as a float32 plane would hold it), then in-plane.
   * With `candidates`, only the classes that can win are blended: the two leading classes at each
   * neighbour with a non-zero weight. Any other class is below the third value at every neighbour,
   * so its blend is at most the same blend of the third values (the bound). When the best candidate
   * beats the bound by more than float rounding it is the argmax of every class (candidates are
   * blended exactly as every class would be); otherwise the voxel blends every class. At 105 classes
   * that is a few classes a voxel instead of 105.
   */
  const emitSourcePlane = (l: number): void => {
    const lo = az.lower[l]!;
    const wa = az.lowerWeight[l]!;
    const wb = az.upperWeight[l]!;
    const leaderA = heldLeaders.get(lo);
    const leaderB = heldLeaders.get(lo + 1);
    const a = held.get(lo) ?? (leaderA && empty);
    const b = held.get(lo + 1) ?? (leaderB && empty);
    // A missing network plane (past the grid) leaves the source plane at 0, and so do two zero weights.
    if ((wa !== 0 && !a) || (wb !== 0 && !b) || (wa === 0 && wb === 0)) return;
    const base = si * sj * l;
    // Aligned, wb is 0 and wa 1, and a network voxel's classes go through the blend unchanged (1 × v, rounded to float32, is v).
    if (aligned && a !== empty && !leaderA) {
      emitAlignedPlane(a!, options.channels, [di, dj], ax, ay, labels, base, [si, sj]);
      return;
    }
    const planes = { a: a ?? b!, b: b ?? a!, wa, wb };
    const blendedLeaders: BlendedLeaders | undefined = leaderA || leaderB ? { a: (leaderA ?? leaderB)!, b: (leaderB ?? leaderA)!, wa, wb } : undefined;
    const la = leaders.get(lo);
    const lb = leaders.get(lo + 1);
    const cells = blendedLeaders && combineCells(heldCells.get(lo), heldCells.get(lo + 1), wa, wb, pairCells);
    for (let j = 0; j < sj; j++) {
      const y0 = ay.lower[j]!;
      const wy0 = ay.lowerWeight[j]!;
      const wy1 = ay.upperWeight[j]!;
      for (let i = 0; i < si; i++) {
        const x0 = ax.lower[i]!;
        const wx0 = ax.lowerWeight[i]!;
        const wx1 = ax.upperWeight[i]!;
        const a00 = x0 + di * y0;
        // Every tap (a zero weight's too) has the same sure leader in both planes: it wins at any weights that add up to
        // more than rounding (see leaderArgmax's sureLeader). An index past the grid reads undefined, never a leader.
        if (cells && cells[a00]! >= 0 && (wx0 + wx1) * (wy0 + wy1) * (wa + wb) > 2 ** -16) {
          labels[base + i + si * j] = cells[a00]!;
          continue;
        }
        taps[0] = a00;
        taps[1] = a00 + 1;
        taps[2] = a00 + di;
        taps[3] = a00 + di + 1;
        tapWeights[0] = wx0 * wy0;
        tapWeights[1] = wx1 * wy0;
        tapWeights[2] = wx0 * wy1;
        tapWeights[3] = wx1 * wy1;
        if (blendedLeaders) {
          labels[base + i + si * j] = leaderArgmax(blendedLeaders, taps, tapWeights, found);
          continue;
        }
        let best = -1;
        if (candidates) {
          let count = 0;
          bounds[0] = 0;
          bounds[1] = 0;
          if (wa !== 0) count = gatherCandidates(la!, wa, taps, tapWeights, found, count, bounds);
          if (wb !== 0) count = gatherCandidates(lb!, wb, taps, tapWeights, found, count, bounds);
          const [bound, magnitude] = [bounds[0]!, bounds[1]!];
          let bestValue = -Infinity;
          for (let n = 0; n < count; n++) {
            const c = found[n]!;
            const v = interpolatedValue(planes, c * di * dj, taps, tapWeights);
            if (v > bestValue || (v === bestValue && c < best)) {
              best = c;
              bestValue = v;
            }
          }
          // Each blended value is within two float32 roundings (2^-23 each) of the blend's magnitude; 2^-20 of it is a safe margin.
          const decided = count === 0 || bound === -Infinity || bestValue > bound + 2 ** -20 * magnitude;
          if (decided) {
            labels[base + i + si * j] = Math.max(best, 0);
            continue;
          }
        }
        for (let c = 0; c < options.channels; c++) values[c] = interpolatedValue(planes, c * di * dj, taps, tapWeights);
        labels[base + i + si * j] = discretize(values, options.discrete);
      }
    }
  };
  const drain = (available: number): void => {
    while (nextSource < sk && lastNeeded(nextSource) <= available) emitSourcePlane(nextSource++);
  };
  return {
    onPlane(k, plane) {
      const copy = plane.subarray(0, planeValues);
      held.set(k, copy);
      held.delete(k - 2);
      if (candidates) {
        leaders.set(k, planeLeaders(copy, options.channels, di * dj));
        leaders.delete(k - 2);
      }
      drain(k);
    },
    onLeaders(k, plane) {
      heldLeaders.set(k, plane);
      heldLeaders.delete(k - 2);
      // The cells of the plane let go (k − 2) take the new plane's: one array a plane would be 300 KB of garbage each.
      const released = heldCells.get(k - 2);
      heldCells.delete(k - 2);
      heldCells.set(k, sureCells(plane, di, released));
      drain(k);
    },
    finish() {
      drain(dk - 1);
      held.clear();
      heldLeaders.clear();
      heldCells.clear();
      leaders.clear();
      return labels;
    },
  };
}

/** Whether each sample of an axis takes one network index whole: weight 1, or 0 outside the grid. */
function takesWholeVoxels({ lowerWeight, upperWeight }: AxisSamples): boolean {
  for (let s = 0; s < lowerWeight.length; s++) if (upperWeight[s] !== 0 || (lowerWeight[s] !== 0 && lowerWeight[s] !== 1)) return false;
  return true;
}

/**
 * One source plane where every voxel takes one network voxel whole: the argmax (first of equals) of that voxel's
 * classes, as the blend would give them; a voxel outside the network grid keeps label 0 (all its classes are 0).
 */
function emitAlignedPlane(
  plane: Float32Array,
  channels: number,
  [di, dj]: readonly [number, number],
  ax: AxisSamples,
  ay: AxisSamples,
  labels: LabelArray,
  base: number,
  [si, sj]: readonly [number, number],
): void {
  const planeVoxels = di * dj;
  for (let j = 0; j < sj; j++) {
    if (ay.lowerWeight[j] === 0) continue;
    const row = di * ay.lower[j]!;
    for (let i = 0; i < si; i++) {
      if (ax.lowerWeight[i] === 0) continue;
      const n = row + ax.lower[i]!;
      let best = 0;
      let bestValue = plane[n]!;
      for (let c = 1, at = n + planeVoxels; c < channels; c++, at += planeVoxels) {
        const v = plane[at]!;
        if (v > bestValue) {
          best = c;
          bestValue = v;
        }
      }
      labels[base + i + si * j] = best;
    }
  }
}

/** The sure cells of a blend of two planes (a missing plane's weight is 0): where the weighted planes agree, else −1. */
function combineCells(a: Int32Array | undefined, b: Int32Array | undefined, wa: number, wb: number, into: Int32Array): Int32Array {
  if (wb === 0) return a!;
  if (wa === 0) return b!;
  for (let n = 0; n < into.length; n++) into[n] = a![n] === b![n] ? a![n]! : -1;
  return into;
}

interface BlendedPlanes {
  readonly a: Float32Array;
  readonly b: Float32Array;
  readonly wa: number;
  readonly wb: number;
}

/** One class's value at an output voxel: the k blend rounded to float32 (as a blended float32 plane would hold it), then the in-plane taps in order. */
function interpolatedValue(planes: BlendedPlanes, offset: number, taps: Int32Array, weights: Float64Array): number {
  let v = 0;
  for (let t = 0; t < 4; t++) {
    const w = weights[t]!;
    if (w === 0) continue;
    const n = offset + taps[t]!;
    const { a, b, wa, wb } = planes;
    const blended =
      wb === 0 ? (wa === 1 ? a[n]! : Math.fround(a[n]! * wa)) : wa === 0 ? (wb === 1 ? b[n]! : Math.fround(b[n]! * wb)) : Math.fround(a[n]! * wa + b[n]! * wb);
    v = t === 0 ? w * blended : v + w * blended;
  }
  return Math.fround(v);
}

/**
 * Adds the two leaders at each weighted tap to `found` (once each), and the tap's share of the
 * third-value bound and of the magnitude to `bounds`; returns the new count.
 */
function gatherCandidates(
  plane: PlaneLeaders,
  weight: number,
  taps: Int32Array,
  weights: Float64Array,
  found: Int32Array,
  count: number,
  bounds: Float64Array,
): number {
  for (let t = 0; t < 4; t++) {
    if (weights[t] === 0) continue;
    const n = taps[t]!;
    count = addOnce(found, count, plane.first[n]!);
    count = addOnce(found, count, plane.second[n]!);
    bounds[0] = bounds[0]! + weight * weights[t]! * plane.thirdValue[n]!;
    bounds[1] = bounds[1]! + weight * weights[t]! * plane.magnitude[n]!;
  }
  return count;
}

function discretize(values: Float32Array, discrete: InverterOptions['discrete']): number {
  if (discrete.kind === 'threshold') {
    for (let c = values.length - 1; c >= 0; c--) if (values[c]! >= discrete.value) return c + 1;
    return 0;
  }
  let best = 0;
  for (let c = 1; c < values.length; c++) if (values[c]! > values[best]!) best = c;
  return best;
}
