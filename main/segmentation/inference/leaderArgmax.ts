import type { LeaderPlane } from './LeaderPlane.js';
import { addOnce } from './addOnce.js';

/** Two network planes blended along k with weights wa and wb (one of them may stand in for a missing other). */
export interface BlendedLeaders {
  readonly a: LeaderPlane;
  readonly b: LeaderPlane;
  readonly wa: number;
  readonly wb: number;
}

/**
 * The argmax at one output voxel of the trilinear blend of probabilities held as leader planes: the
 * four in-plane `taps` (network voxel indices) with their `weights`, in each of the two planes. A class
 * absent from a tap's list has probability exactly 0 there. Each class is blended exactly as createInverter
 * blends a float32 plane (k first, rounded to float32, then the taps in order), ties going to the lowest
 * class, as argmax's do. First only the leader at each weighted tap is blended: any other class is at
 * most the first non-candidate of each tap's list (lists fall in value), so a leader beating that bound
 * by more than float rounding (2^-20; probabilities are at most 1) is the argmax; otherwise every listed
 * class is blended. `found` is scratch room for at least 8 × slots classes.
 */
export function leaderArgmax(planes: BlendedLeaders, taps: Int32Array, weights: Float64Array, found: Int32Array): number {
  const sure = sureLeader(planes, taps, weights);
  if (sure >= 0) return sure;
  const single = singleLeader(planes, taps, weights);
  if (single >= 0) return single;
  const { a, b, wa, wb } = planes;
  const slots = a.slots;
  let count = 0;
  for (let t = 0; t < 4; t++) {
    if (weights[t] === 0) continue;
    const n = taps[t]! * slots;
    if (wa !== 0 && a.count[taps[t]!]! > 0) count = addOnce(found, count, a.ids[n]!);
    if (wb !== 0 && b.count[taps[t]!]! > 0) count = addOnce(found, count, b.ids[n]!);
  }
  if (count === 0) return 0;
  let bound = 0;
  for (let t = 0; t < 4; t++) {
    const w = weights[t]!;
    if (w === 0) continue;
    const n = taps[t]!;
    bound += w * ((wa === 0 ? 0 : wa * firstOther(a, n, slots, found, count)) + (wb === 0 ? 0 : wb * firstOther(b, n, slots, found, count)));
  }
  const leader = argmaxOf(planes, taps, weights, found, count);
  if (leader.value > bound + 2 ** -20) return leader.best;
  for (let t = 0; t < 4; t++) {
    if (weights[t] === 0) continue;
    if (wa !== 0) count = addListed(a, taps[t]!, slots, found, count);
    if (wb !== 0) count = addListed(b, taps[t]!, slots, found, count);
  }
  const every = argmaxOf(planes, taps, weights, found, count);
  // Every class blends to 0: argmax's first class.
  return every.value > 0 ? every.best : 0;
}

/**
 * The commonest case, deep inside an organ: every weighted tap's `sure` leader (LeaderPlane) is the same class L. At
 * each tap every other class is then at least 0.5 below L, so any class's exact blend is at least 0.5 × W below L's,
 * W being the blend's total weight, while each computed blend is within a few float32 roundings (2^-22 all told,
 * probabilities being at most 1) of its exact value: once 0.5 × W passes 2^-17, L is the argmax, with no tie.
 * Returns L, or −1 when the case does not hold.
 */
function sureLeader(planes: BlendedLeaders, taps: Int32Array, weights: Float64Array): number {
  const { a, b, wa, wb } = planes;
  let leader = -1;
  let total = 0;
  for (let t = 0; t < 4; t++) {
    const w = weights[t]!;
    if (w === 0) continue;
    const n = taps[t]!;
    if (wa !== 0) {
      const sure = a.sure[n]!;
      if (sure < 0 || (leader >= 0 && sure !== leader)) return -1;
      leader = sure;
    }
    if (wb !== 0) {
      const sure = b.sure[n]!;
      if (sure < 0 || (leader >= 0 && sure !== leader)) return -1;
      leader = sure;
    }
    total += w * (wa + wb);
  }
  return total > 2 ** -16 ? leader : -1;
}

/**
 * The common case, inside an organ: one class leads at every weighted tap. It is the argmax when its blend
 * beats the blend of the second values (each list's next entry, which bounds every other class) by more
 * than rounding. Returns the class, or −1 when the case does not hold or is not decided.
 */
function singleLeader(planes: BlendedLeaders, taps: Int32Array, weights: Float64Array): number {
  const { a, b, wa, wb } = planes;
  const slots = a.slots;
  let leader = -1;
  for (let t = 0; t < 4; t++) {
    if (weights[t] === 0) continue;
    const n = taps[t]!;
    if (wa !== 0) {
      if (a.count[n] === 0 || (leader >= 0 && a.ids[n * slots] !== leader)) return -1;
      leader = a.ids[n * slots]!;
    }
    if (wb !== 0) {
      if (b.count[n] === 0 || (leader >= 0 && b.ids[n * slots] !== leader)) return -1;
      leader = b.ids[n * slots]!;
    }
  }
  if (leader < 0) return -1;
  let v = 0;
  let bound = 0;
  for (let t = 0; t < 4; t++) {
    const w = weights[t]!;
    if (w === 0) continue;
    const n = taps[t]! * slots;
    const pa = wa === 0 ? 0 : a.probabilities[n]!;
    const pb = wb === 0 ? 0 : b.probabilities[n]!;
    const blended = wb === 0 ? (wa === 1 ? pa : Math.fround(pa * wa)) : wa === 0 ? (wb === 1 ? pb : Math.fround(pb * wb)) : Math.fround(pa * wa + pb * wb);
    v += w * blended;
    const qa = wa === 0 || a.count[taps[t]!]! < 2 ? 0 : a.probabilities[n + 1]!;
    const qb = wb === 0 || b.count[taps[t]!]! < 2 ? 0 : b.probabilities[n + 1]!;
    bound += w * (wa * qa + wb * qb);
  }
  return Math.fround(v) > bound + 2 ** -20 ? leader : -1;
}

const result = { best: 0, value: 0 };

/** The best of the `count` classes in `found`, blended; ties to the lowest class. */
function argmaxOf(planes: BlendedLeaders, taps: Int32Array, weights: Float64Array, found: Int32Array, count: number): { best: number; value: number } {
  const { a, b, wa, wb } = planes;
  const slots = a.slots;
  let best = 0;
  let bestValue = 0;
  for (let f = 0; f < count; f++) {
    const c = found[f]!;
    let v = 0;
    for (let t = 0; t < 4; t++) {
      const w = weights[t]!;
      if (w === 0) continue;
      const n = taps[t]!;
      const pa = wa === 0 ? 0 : probability(a, n, slots, c);
      const pb = wb === 0 ? 0 : probability(b, n, slots, c);
      const blended = wb === 0 ? (wa === 1 ? pa : Math.fround(pa * wa)) : wa === 0 ? (wb === 1 ? pb : Math.fround(pb * wb)) : Math.fround(pa * wa + pb * wb);
      v += w * blended;
    }
    v = Math.fround(v);
    if (v > bestValue || (v === bestValue && c < best)) {
      best = c;
      bestValue = v;
    }
  }
  result.best = best;
  result.value = bestValue;
  return result;
}

/** The probability of the first class in voxel n's list (falling values) that is not among the candidates; 0 if none. */
function firstOther(plane: LeaderPlane, n: number, slots: number, found: Int32Array, count: number): number {
  const listed = plane.count[n]!;
  for (let s = 0; s < listed; s++) {
    const c = plane.ids[n * slots + s]!;
    let f = 0;
    while (f < count && found[f] !== c) f++;
    if (f === count) return plane.probabilities[n * slots + s]!;
  }
  return 0;
}

function addListed(plane: LeaderPlane, n: number, slots: number, found: Int32Array, count: number): number {
  const listed = plane.count[n]!;
  for (let s = 0; s < listed; s++) count = addOnce(found, count, plane.ids[n * slots + s]!);
  return count;
}

function probability(plane: LeaderPlane, n: number, slots: number, c: number): number {
  const listed = plane.count[n]!;
  for (let s = 0; s < listed; s++) if (plane.ids[n * slots + s] === c) return plane.probabilities[n * slots + s]!;
  return 0;
}
