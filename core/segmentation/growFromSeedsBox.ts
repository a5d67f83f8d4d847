import type { Vec3 } from '../geometry/types.js';
import { BLOCKED, type SeedMap, type VoxelBox } from './growFromSeedsTypes.js';

/** Where the seeds lie and how many classes they hold. */
export interface SeedExtent {
  /** The seeds' bounding box; null when no voxel is seeded. */
  readonly box: VoxelBox | null;
  /** The distinct seed classes (1…254) painted. */
  readonly classes: readonly number[];
}

/** The seeds' bounding box and classes: one pass over the seed map, row by row. */
export function findSeedExtent(seeds: SeedMap, dimensions: Vec3): SeedExtent {
  const [nx, ny, nz] = dimensions;
  const present = new Uint8Array(256);
  const min = [nx, ny, nz];
  const max = [-1, -1, -1];
  for (let k = 0, row = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++, row += nx) {
      let first = -1;
      let last = -1;
      for (let i = 0; i < nx; i++) {
        const s = seeds[row + i]!;
        if (s === 0 || s === BLOCKED) continue;
        present[s] = 1;
        if (first < 0) first = i;
        last = i;
      }
      if (first < 0) continue;
      widen(min, max, [first, j, k]);
      widen(min, max, [last, j, k]);
    }
  }
  const classes: number[] = [];
  for (let c = 1; c < BLOCKED; c++) if (present[c]) classes.push(c);
  const box: VoxelBox | null = max[0]! < 0 ? null : { min: [min[0]!, min[1]!, min[2]!], max: [max[0]!, max[1]!, max[2]!] };
  return { box, classes };
}

/**
 * Slicer's default region for grow from seeds: the seeds' box widened on each
 * side by `fraction` of its extent along that axis (at least `minMargin`
 * voxels), clipped to the grid.
 */
export function widenSeedBox(box: VoxelBox, dimensions: Vec3, fraction: number, minMargin = 3): VoxelBox {
  const min: number[] = [];
  const max: number[] = [];
  for (let a = 0; a < 3; a++) {
    const margin = Math.max(minMargin, Math.ceil(fraction * (box.max[a]! - box.min[a]! + 1)));
    min.push(Math.max(0, box.min[a]! - margin));
    max.push(Math.min(dimensions[a]! - 1, box.max[a]! + margin));
  }
  return { min: [min[0]!, min[1]!, min[2]!], max: [max[0]!, max[1]!, max[2]!] };
}

function widen(min: number[], max: number[], at: Vec3): void {
  for (let a = 0; a < 3; a++) {
    if (at[a]! < min[a]!) min[a] = at[a]!;
    if (at[a]! > max[a]!) max[a] = at[a]!;
  }
}
