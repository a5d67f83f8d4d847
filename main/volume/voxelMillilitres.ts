import { determinant, type Volume } from './Volume.js';

/** Millilitres in one voxel: the parallelepiped the three (possibly sheared) axes span. */
export function voxelMillilitres(grid: Pick<Volume, 'spacing' | 'direction'>): number {
  const [si, sj, sk] = grid.spacing;
  return (si * sj * sk * Math.abs(determinant(grid.direction))) / 1000;
}
