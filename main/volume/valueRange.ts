import type { Volume } from './Volume.js';

/** Smallest and largest voxel value; NaNs are ignored. */
export function valueRange(volume: Pick<Volume, 'voxels'>): [number, number] {
  const v = volume.voxels;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return [min, max];
}
