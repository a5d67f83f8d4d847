import type { Volume } from '../main/volume/Volume.js';
import { indexToWorld, worldToIndex } from '../core/geometry/indexToWorld.js';

/** b's index = matrix · a's index + offset, for grids that are axis permutations and flips of each other. */
export interface IndexMapping {
  readonly matrix: number[][];
  readonly offset: number[];
  /** Largest distance (mm) between a's corner voxel centres and b's matching ones. */
  readonly cornerErrorMm: number;
}

/**
 * Finds the integer index map between two volumes covering the same voxel
 * centres; throws when the grids are not permutations/flips of each other.
 */
export function indexMapping(a: Volume, b: Volume): IndexMapping {
  const at = (i: number, j: number, k: number): number[] => [...worldToIndex(b, indexToWorld(a, [i, j, k]))];
  const base = at(0, 0, 0);
  const offset = base.map(Math.round);
  const matrix = [0, 1, 2].map(() => [0, 0, 0]);
  [at(1, 0, 0), at(0, 1, 0), at(0, 0, 1)].forEach((p, c) => {
    for (let r = 0; r < 3; r++) matrix[r]![c] = Math.round(p[r]! - base[r]!);
  });
  let cornerErrorMm = 0;
  for (let corner = 0; corner < 8; corner++) {
    const index = [0, 1, 2].map((axis) => ((corner >> axis) & 1 ? a.dimensions[axis]! - 1 : 0)) as [number, number, number];
    const mapped = [0, 1, 2].map((r) => matrix[r]![0]! * index[0] + matrix[r]![1]! * index[1] + matrix[r]![2]! * index[2] + offset[r]!);
    const pa = indexToWorld(a, index);
    const pb = indexToWorld(b, mapped as [number, number, number]);
    cornerErrorMm = Math.max(cornerErrorMm, Math.hypot(pa[0] - pb[0], pa[1] - pb[1], pa[2] - pb[2]));
  }
  return { matrix, offset, cornerErrorMm };
}

/** Calls `visit(n, m)` for every voxel n of a (i fastest) with m, the index of the same voxel centre in b. */
export function forEachMappedVoxel(a: Volume, b: Volume, mapping: IndexMapping, visit: (n: number, m: number) => void): void {
  const [ni, nj, nk] = a.dimensions;
  const [bi, bj] = b.dimensions;
  const m = mapping.matrix;
  const o = mapping.offset;
  let n = 0;
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++, n++) {
        const x = m[0]![0]! * i + m[0]![1]! * j + m[0]![2]! * k + o[0]!;
        const y = m[1]![0]! * i + m[1]![1]! * j + m[1]![2]! * k + o[1]!;
        const z = m[2]![0]! * i + m[2]![1]! * j + m[2]![2]! * k + o[2]!;
        visit(n, x + bi * (y + bj * z));
      }
    }
  }
}

/** Number of voxels whose values differ between a and b under the mapping (b sampled at mapped indices). */
export function countMismatches(a: Volume, b: Volume, mapping: IndexMapping): number {
  let mismatches = 0;
  forEachMappedVoxel(a, b, mapping, (n, m) => {
    if (a.voxels[n] !== b.voxels[m]) mismatches++;
  });
  return mismatches;
}
