import type { Vec3 } from '../../core/geometry/types.js';
import type { LabelDisplay } from '../display/labelDisplayOf.js';
import { blockReduce } from './blockReduce.js';
import { writeLabelCodes } from './writeLabelCodes.js';

/** A reduced grid's source: its dimensions, and source voxels per reduced voxel along each axis. */
export interface LabelReduction {
  readonly sourceDims: Vec3;
  readonly factors: Vec3;
}

/**
 * For a label display on a reduced grid of `dims`: a function that writes
 * reduced slice k of the display codes (each the largest code of the block
 * of source voxels it covers, so a structure one voxel thin still shows)
 * into `codes` (the whole reduced grid) and returns whether it changed.
 * One reduced slice of source codes is made at a time.
 */
export function reducedLabelCodes(labels: LabelDisplay, dims: Vec3, reduction: LabelReduction): (codes: Uint8Array | Uint16Array, k: number) => boolean {
  const { sourceDims, factors } = reduction;
  const plane = dims[0] * dims[1];
  const sourceVoxels = sourceDims[0] * sourceDims[1] * factors[2];
  const source = new Uint16Array(sourceVoxels);
  const slice = new Uint16Array(plane);
  return (codes, k) => {
    const from = k * sourceVoxels;
    writeLabelCodes(labels, source, from, from + sourceVoxels, from);
    blockReduce({ voxels: source, dims: sourceDims, firstSlice: k * factors[2] }, factors, 'max', slice, k, k + 1, k);
    let changed = false;
    const base = k * plane;
    for (let n = 0; n < plane; n++) {
      if (codes[base + n] !== slice[n]) {
        codes[base + n] = slice[n]!;
        changed = true;
      }
    }
    return changed;
  };
}
