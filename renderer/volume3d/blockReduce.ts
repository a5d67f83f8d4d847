import type { Vec3 } from '../../core/geometry/types.js';
import type { NumericArray } from '../../core/voxels/NumericArray.js';

/** A source grid held in memory from one slice on (i fastest). */
export interface SourceSlices {
  readonly voxels: NumericArray;
  /** The whole grid's dimensions. */
  readonly dims: Vec3;
  /** The slice index of voxels[0] (0 when the whole grid is held). */
  readonly firstSlice: number;
}

/**
 * Writes reduced slices [kFrom, kTo) into `out` (the reduced grid,
 * floor(dims / factors) voxels, i fastest, indexed from slice 0 of the
 * reduced grid unless `outFirstSlice` says otherwise): each voxel the mean
 * ('mean': a box filter, for intensities) or the largest value ('max': for
 * label codes, so a structure one voxel thin still shows) of the whole block
 * of factors[0]×factors[1]×factors[2] source voxels it covers. The source
 * must hold the blocks' slices.
 */
export function blockReduce(source: SourceSlices, factors: Vec3, mode: 'mean' | 'max', out: NumericArray, kFrom: number, kTo: number, outFirstSlice = 0): void {
  const [fi, fj, fk] = factors;
  const [ni, nj] = source.dims;
  const ri = Math.floor(ni / fi);
  const rj = Math.floor(nj / fj);
  const plane = ri * rj;
  const acc = new Float64Array(plane);
  const { voxels } = source;
  const count = fi * fj * fk;
  for (let k = kFrom; k < kTo; k++) {
    acc.fill(mode === 'mean' ? 0 : -Infinity);
    for (let dk = 0; dk < fk; dk++) {
      const sliceBase = (k * fk + dk - source.firstSlice) * ni * nj;
      for (let j = 0; j < rj * fj; j++) {
        const rowBase = sliceBase + j * ni;
        const accBase = Math.floor(j / fj) * ri;
        if (mode === 'mean') {
          for (let r = 0; r < ri; r++) {
            let sum = 0;
            const from = rowBase + r * fi;
            for (let di = 0; di < fi; di++) sum += voxels[from + di]!;
            acc[accBase + r] = acc[accBase + r]! + sum;
          }
        } else {
          for (let r = 0; r < ri; r++) {
            let best = acc[accBase + r]!;
            const from = rowBase + r * fi;
            for (let di = 0; di < fi; di++) if (voxels[from + di]! > best) best = voxels[from + di]!;
            acc[accBase + r] = best;
          }
        }
      }
    }
    const outBase = (k - outFirstSlice) * plane;
    if (mode === 'mean') for (let n = 0; n < plane; n++) out[outBase + n] = acc[n]! / count;
    else for (let n = 0; n < plane; n++) out[outBase + n] = acc[n]!;
  }
}
