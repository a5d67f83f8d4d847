import type { Vec3 } from '../../core/geometry/types.js';
import type { LabelArray } from '../../core/labels/LabelArray.js';

/** Inclusive index bounds of a set of voxels. */
export interface VoxelBounds {
  readonly lo: Vec3;
  readonly hi: Vec3;
}

/** The smallest box holding every voxel of `layer` equal to `value`; null when there is none. One pass over the layer. */
export function segmentBounds(layer: LabelArray, dimensions: Vec3, value: number): VoxelBounds | null {
  const [ni, nj, nk] = dimensions;
  let loI = ni;
  let hiI = -1;
  let loJ = nj;
  let hiJ = -1;
  let loK = nk;
  let hiK = -1;
  let n = 0;
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++, n += ni) {
      let first = -1;
      let last = -1;
      for (let i = 0; i < ni; i++) {
        if (layer[n + i] === value) {
          if (first < 0) first = i;
          last = i;
        }
      }
      if (first < 0) continue;
      if (first < loI) loI = first;
      if (last > hiI) hiI = last;
      if (j < loJ) loJ = j;
      if (j > hiJ) hiJ = j;
      if (k < loK) loK = k;
      hiK = k;
    }
  }
  return hiI < 0 ? null : { lo: [loI, loJ, loK], hi: [hiI, hiJ, hiK] };
}
