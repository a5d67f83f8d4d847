import { GrowFromSeedsError } from './GrowFromSeedsError.js';
import type { GrowFromSeedsOptions } from './growFromSeedsTypes.js';

/**
 * Checks a grow's options before anything is allocated: a whole grid, an image
 * that fills it, a box inside it, a known neighbourhood, a finite penalty.
 * @throws GrowFromSeedsError GROW_INVALID_INPUT naming what is wrong
 */
export function checkGrowOptions(options: GrowFromSeedsOptions): void {
  const { dimensions, spacing, image, box, neighbourhood, distancePenalty, marginFraction } = options;
  const fail = (why: string): never => {
    throw new GrowFromSeedsError('GROW_INVALID_INPUT', why);
  };
  if (!dimensions.every((d) => Number.isInteger(d) && d > 0)) fail(`grid ${dimensions.join('×')}`);
  if (!spacing.every((s) => Number.isFinite(s) && s > 0)) fail(`spacing ${spacing.join('×')} mm`);
  const count = dimensions[0] * dimensions[1] * dimensions[2];
  if (image.length !== count) fail(`an image of ${image.length} voxels for a ${dimensions.join('×')} grid`);
  if (neighbourhood !== 6 && neighbourhood !== 26) fail(`${String(neighbourhood)} neighbours (6 or 26)`);
  if (!(Number.isFinite(distancePenalty) && distancePenalty >= 0)) fail(`distance penalty ${distancePenalty}`);
  if (marginFraction !== undefined && !(Number.isFinite(marginFraction) && marginFraction >= 0)) fail(`margin ${marginFraction}`);
  if (box) {
    for (let a = 0; a < 3; a++) {
      const [lo, hi] = [box.min[a]!, box.max[a]!];
      if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo >= 0 && lo <= hi && hi < dimensions[a]!)) fail(`box ${box.min.join(',')}–${box.max.join(',')}`);
    }
  }
}
