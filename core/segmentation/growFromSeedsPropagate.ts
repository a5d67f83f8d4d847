import type { GrowFromSeedsQueue } from './growFromSeedsQueue.js';

/** Distances are saturated here, below "never reached" (0xffffffff), so a long path cannot wrap round. */
export const DISTANCE_CAP = 0xfffffffe;

/** The padded box's arrays a grow works on (one voxel of padding on every side, blocked). */
export interface GrowArrays {
  /** Image levels (integer steps of the scan's values). */
  readonly level: Uint16Array;
  /** Path cost from the nearest seed; 0 for seeds, blocked voxels and the padding. */
  readonly dist: Uint32Array;
  /** The seed class each voxel has taken. */
  readonly label: Uint8Array;
  /** Index steps to the neighbours in the padded box. */
  readonly offsets: Int32Array;
  /** The distance penalty of each neighbour step, in levels. */
  readonly penalties: Uint32Array;
}

/**
 * Fast grow-cut's label propagation (Zhu et al. 2014; Slicer's
 * vtkImageGrowCutSegment): Dijkstra from every queued seed at once, the cost
 * of a step |level difference| + the step's distance penalty, each voxel
 * taking the label of the seed whose path reaches it cheapest. Voxels whose
 * distance is 0 (seeds, blocked, padding) are never relabelled, so the
 * padding replaces bounds checks. Returns how many voxels were settled.
 */
export function propagateGrowFromSeeds(arrays: GrowArrays, queue: GrowFromSeedsQueue): number {
  const { level, dist, label, offsets, penalties } = arrays;
  const n = offsets.length;
  let settled = 0;
  for (;;) {
    const v = queue.pop();
    if (v < 0) return settled;
    const d = queue.current;
    if (dist[v] !== d) continue;
    settled++;
    const lv = level[v]!;
    const lab = label[v]!;
    for (let i = 0; i < n; i++) {
      const u = v + offsets[i]!;
      const step = lv - level[u]!;
      let nd = d + (step < 0 ? -step : step) + penalties[i]!;
      if (nd > DISTANCE_CAP) nd = DISTANCE_CAP;
      if (nd < dist[u]!) {
        dist[u] = nd;
        label[u] = lab;
        queue.push(u, nd);
      }
    }
  }
}
