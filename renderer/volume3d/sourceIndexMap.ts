import type { Vec3 } from '../../core/geometry/types.js';
import type { ClipBox } from './clipRange.js';

/*
 * A reduced grid (downsamplePlan) puts reduced voxel I's centre at the mean
 * of source voxels I·f … I·f + f − 1, so continuous indices map as
 * I = (i − (f − 1)/2) / f per axis. The 3D view's controls and its published
 * screenFromIndex speak the source's indices; these carry them across.
 */

/** A clip box in source indices, as a box in the reduced grid's. */
export function reducedClipBox(box: ClipBox, factors: Vec3): ClipBox {
  const map = (v: Vec3): Vec3 => [0, 1, 2].map((a) => (v[a]! - (factors[a]! - 1) / 2) / factors[a]!) as unknown as Vec3;
  return { lo: map(box.lo), hi: map(box.hi) };
}

/** screenFromIndex of the reduced grid ([column, row] = M · [I, J, K, 1]) as the same for source indices. */
export function screenFromSourceIndex(reduced: readonly [readonly number[], readonly number[]], factors: Vec3): [number[], number[]] {
  const row = (m: readonly number[]): number[] => {
    let constant = m[3]!;
    const out = [0, 1, 2].map((a) => {
      constant -= (m[a]! * (factors[a]! - 1)) / 2 / factors[a]!;
      return m[a]! / factors[a]!;
    });
    return [...out, constant];
  };
  return [row(reduced[0]), row(reduced[1])];
}
