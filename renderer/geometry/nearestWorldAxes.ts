import type { Axis, Mat3 } from '../../core/geometry/types.js';

/** For each index axis, the LPS world axis it runs nearest to, and whether it runs along (+1) or against (−1) it. */
export interface NearestWorldAxes {
  /** worldAxisOf[a]: 0 = x (R→L), 1 = y (A→P), 2 = z (I→S). A permutation of 0, 1, 2. */
  readonly worldAxisOf: readonly [Axis, Axis, Axis];
  /** indexAxisOf[w]: the index axis assigned to world axis w (the inverse permutation). */
  readonly indexAxisOf: readonly [Axis, Axis, Axis];
  /** sign[a]: +1 when index axis a points towards the positive end of its world axis. */
  readonly sign: readonly [1 | -1, 1 | -1, 1 | -1];
}

const permutations: readonly (readonly [Axis, Axis, Axis])[] = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];

/**
 * Pairs the three index axes with the three world axes so that the summed
 * |cosine| is largest. Unlike picking each axis's largest component on its
 * own, this always yields a permutation, even for a strongly oblique or
 * sheared scan where two axes lean towards the same world axis.
 */
export function nearestWorldAxes(direction: Mat3): NearestWorldAxes {
  let best = permutations[0]!;
  let bestScore = -1;
  for (const p of permutations) {
    const score = Math.abs(direction[0][p[0]]) + Math.abs(direction[1][p[1]]) + Math.abs(direction[2][p[2]]);
    if (score > bestScore + 1e-12) {
      best = p;
      bestScore = score;
    }
  }
  const indexAxisOf: [Axis, Axis, Axis] = [0, 0, 0];
  best.forEach((w, a) => (indexAxisOf[w] = a as Axis));
  const signOf = (a: Axis): 1 | -1 => (direction[a][best[a]] >= 0 ? 1 : -1);
  return { worldAxisOf: best, indexAxisOf, sign: [signOf(0), signOf(1), signOf(2)] };
}
