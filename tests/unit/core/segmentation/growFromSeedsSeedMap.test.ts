import { describe, expect, it } from 'vitest';
import type { SegmentDef } from '../../../../core/contract.js';
import { growFromSeedsSeedMap } from '../../../../core/segmentation/growFromSeedsSeedMap.js';
import { BLOCKED } from '../../../../core/segmentation/growFromSeedsTypes.js';

const segment = (layer: number, value: number, locked = false): SegmentDef => ({
  layer,
  value,
  name: `S${layer}:${value}`,
  colour: [0, 0, 0],
  algorithmType: 'MANUAL',
  locked,
});

describe('growFromSeedsSeedMap', () => {
  it('gives each unlocked segment a class in table order, blocks locked ones, and lets a later layer win', () => {
    const layer0 = Uint8Array.from([0, 1, 2, 3, 1, 7]);
    const layer1 = Uint16Array.from([0, 0, 0, 0, 300, 0]);
    const { seeds, classes } = growFromSeedsSeedMap([layer0, layer1], [segment(0, 2), segment(0, 1), segment(0, 3, true), segment(1, 300)]);
    expect(classes).toEqual([
      { layer: 0, value: 2 },
      { layer: 0, value: 1 },
      { layer: 1, value: 300 },
    ]);
    // Value 7 has no table entry: not a seed.
    expect([...seeds]).toEqual([0, 2, 1, BLOCKED, 3, 0]);
  });

  it('reads layers of any length and alignment as voxel by voxel (words of zeros skipped)', () => {
    // 1001 voxels, sparse labels, one layer starting one byte into its buffer and one 16-bit layer.
    const layer0 = new Uint8Array(1002).subarray(1);
    const layer1 = new Uint16Array(1001);
    for (let n = 0; n < 1001; n += 37) layer0[n] = 1 + (n % 3);
    for (let n = 5; n < 1001; n += 101) layer1[n] = 300;
    const { seeds } = growFromSeedsSeedMap([layer0, layer1], [segment(0, 1), segment(0, 2, true), segment(0, 3), segment(1, 300)]);
    const expected = Array.from({ length: 1001 }, (_, n) => (layer1[n] === 300 ? 3 : [0, 1, BLOCKED, 2][layer0[n]!]!));
    expect([...seeds]).toEqual(expected);
    expect(seeds.filter((c) => c !== 0).length).toBe(28 + 10);
  });
});
