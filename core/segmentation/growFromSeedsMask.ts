import type { Vec3 } from '../geometry/types.js';
import type { GrowFromSeedsResult } from './growFromSeedsTypes.js';

/** A grow's voxels of one seed class as a proposal mask over the whole grid (1 there, 0 elsewhere), and how many. */
export function growFromSeedsMask(result: GrowFromSeedsResult, seedClass: number, dimensions: Vec3): { mask: Uint8Array; voxels: number } {
  const [nx, ny, nz] = dimensions;
  const { box, labels } = result;
  const mask = new Uint8Array(nx * ny * nz);
  const bx = box.max[0] - box.min[0] + 1;
  let voxels = 0;
  for (let k = box.min[2], b = 0; k <= box.max[2]; k++) {
    for (let j = box.min[1]; j <= box.max[1]; j++, b += bx) {
      const row = (k * ny + j) * nx + box.min[0];
      for (let i = 0; i < bx; i++) {
        if (labels[b + i] !== seedClass) continue;
        mask[row + i] = 1;
        voxels++;
      }
    }
  }
  return { mask, voxels };
}
