import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../../core/geometry/types.js';
import { keepLargestInMasks } from '../../../../main/segmentation/channels/keepLargestInMasks.js';

const dimensions: Vec3 = [10, 6, 4];

/** A 0/1 mask with a 5×2×2 block (20 voxels) at i 0-4 and a 2×2×2 block (8 voxels) at i 7-8, apart. */
function twoBlocks(): Uint8Array {
  const mask = new Uint8Array(10 * 6 * 4);
  mask.forEach((_, n) => {
    const [i, j, k] = [n % 10, Math.floor(n / 10) % 6, Math.floor(n / 60)];
    if (j < 2 && k < 2 && (i <= 4 || i === 7 || i === 8)) mask[n] = 1;
  });
  return mask;
}

const count = (mask: Uint8Array): number => mask.reduce((s, v) => s + v, 0);
const step = (appliedLabels: number[] | null) => ({ kind: 'KeepLargestConnectedComponentd', appliedLabels, independent: true, connectivity: 1 }) as const;

describe('keepLargestInMasks', () => {
  it('cleans a single sigmoid channel’s label 1, as MONAI does when C = 1 is not one-hot', () => {
    const mask = twoBlocks();
    keepLargestInMasks([mask], dimensions, step(null));
    expect(count(mask)).toBe(20);
    const named = twoBlocks();
    keepLargestInMasks([named], dimensions, step([1]));
    expect(count(named)).toBe(20);
    // applied_labels are label values here: [0] leaves the mask as it is.
    const background = twoBlocks();
    keepLargestInMasks([background], dimensions, step([0]));
    expect(count(background)).toBe(28);
  });

  it('takes two channels as one-hot: by default channel 0 is left as it is and channel 1 cleaned', () => {
    const masks = [twoBlocks(), twoBlocks()];
    keepLargestInMasks(masks, dimensions, step(null));
    expect(masks.map(count)).toEqual([28, 20]);
  });
});
