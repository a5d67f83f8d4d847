import type { Vec3 } from '../geometry/types.js';

/** The neighbour steps of a padded box: index offsets and each step's length in mm. */
export interface NeighbourSteps {
  readonly offsets: Int32Array;
  readonly lengthsMm: Float64Array;
  /** Offsets to the neighbouring rows' voxels straight across (di = 0, other j or k): the other cache lines a step reads. */
  readonly rows: Int32Array;
}

/**
 * The 6 face neighbours, or all 26 (Slicer's grow-cut), as index offsets in a
 * box of `size` (i fastest) with each step's length in mm for the distance
 * penalty. Ordered k, then j, then i, so consecutive neighbours lie close in memory.
 */
export function neighbourSteps(neighbourhood: 6 | 26, spacing: Vec3, size: Vec3): NeighbourSteps {
  const offsets: number[] = [];
  const lengths: number[] = [];
  const rows: number[] = [];
  for (let dk = -1; dk <= 1; dk++) {
    for (let dj = -1; dj <= 1; dj++) {
      for (let di = -1; di <= 1; di++) {
        const moved = Math.abs(di) + Math.abs(dj) + Math.abs(dk);
        if (moved === 0 || (neighbourhood === 6 && moved > 1)) continue;
        const offset = di + size[0] * (dj + size[1] * dk);
        offsets.push(offset);
        lengths.push(Math.hypot(di * spacing[0], dj * spacing[1], dk * spacing[2]));
        if (di === 0) rows.push(offset);
      }
    }
  }
  return { offsets: Int32Array.from(offsets), lengthsMm: Float64Array.from(lengths), rows: Int32Array.from(rows) };
}
