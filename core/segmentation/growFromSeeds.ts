import { createGrowFromSeedsSession } from './createGrowFromSeedsSession.js';
import type { GrowFromSeedsOptions, GrowFromSeedsResult, SeedMap } from './growFromSeedsTypes.js';

/**
 * Grows seeds over a scan once (fast grow-cut, as Slicer's Grow from seeds):
 * see {@link createGrowFromSeedsSession} for growing again as seeds are added.
 * @throws GrowFromSeedsError GROW_INVALID_INPUT for inconsistent options or seeds, GROW_TOO_FEW_SEEDS for fewer than two seed classes in the box,
 *   GROW_TOO_LARGE for a box past 2^28 voxels
 */
export function growFromSeeds(options: GrowFromSeedsOptions, seeds: SeedMap): GrowFromSeedsResult {
  return createGrowFromSeedsSession(options).grow(seeds);
}
