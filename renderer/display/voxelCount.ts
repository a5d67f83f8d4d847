import { plural } from './plural.js';

/** "1 voxel", "12,345 voxels". */
export function voxelCount(count: number): string {
  return plural(count, 'voxel').replace(String(count), count.toLocaleString('en-US'));
}
