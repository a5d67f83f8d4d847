import type { Vec3 } from '../../core/geometry/types.js';
import type { GrowFromSeedsSession } from '../../core/segmentation/createGrowFromSeedsSession.js';
import { growFromSeedsMask } from '../../core/segmentation/growFromSeedsMask.js';
import type { SeedMap } from '../../core/segmentation/growFromSeedsTypes.js';
import type { GrownClass } from './growFromSeedsMessages.js';

/** Grows a seed map in a session and masks one seed class over the grid, timing both (in the worker, or on the page without one). */
export function growClass(session: GrowFromSeedsSession, seeds: SeedMap, seedClass: number, dimensions: Vec3, inWorker: boolean): GrownClass {
  const started = performance.now();
  const { labels, ...result } = session.grow(seeds);
  const { mask, voxels } = growFromSeedsMask({ ...result, labels }, seedClass, dimensions);
  return { result, mask, voxels, ms: performance.now() - started, inWorker };
}
