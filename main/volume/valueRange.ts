import type { Volume } from './Volume.js';

/**
 * Smallest and largest finite voxel value: NaN and ±Infinity (a float file's "no value" marks) are left out, so a
 * few of them do not make the whole volume's window and display range meaningless. [Infinity, -Infinity] when no
 * value is finite.
 */
export function valueRange(volume: Pick<Volume, 'voxels'>): [number, number] {
  const v = volume.voxels;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    // x - x is 0 only for a finite x (NaN for NaN and ±Infinity), and cheaper than Number.isFinite in this loop.
    if (x - x !== 0) continue;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return [min, max];
}
