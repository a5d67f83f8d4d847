import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../seededRandom.js';
import { blockOccupancy, markLabelBlocks } from '../../../../renderer/volume3d/blockOccupancy.js';
import { accumulateBlockRanges, createBlockRanges } from '../../../../renderer/volume3d/blockRanges.js';
import { transferTable } from '../../../../renderer/volume3d/transferTable.js';

const dims = [19, 13, 11] as const;

function randomVolume(): Int16Array {
  const random = seededRandom(7);
  return Int16Array.from({ length: dims[0] * dims[1] * dims[2] }, () => Math.round(random() * 2000 - 1000));
}

describe('accumulateBlockRanges', () => {
  it('gives each block the min and max over its voxels and their one-voxel rim, slab by slab as over the whole', () => {
    const voxels = randomVolume();
    const whole = createBlockRanges(dims, 4);
    accumulateBlockRanges(voxels, whole, 0, dims[2]);
    const slabs = createBlockRanges(dims, 4);
    for (const [from, to] of [
      [0, 3],
      [3, 4],
      [4, 11],
    ] as const)
      accumulateBlockRanges(voxels, slabs, from, to);
    expect(whole.blocks).toEqual([5, 4, 3]);
    expect([...slabs.min]).toEqual([...whole.min]);
    expect([...slabs.max]).toEqual([...whole.max]);
    for (let kb = 0; kb < 3; kb++) {
      for (let jb = 0; jb < 4; jb++) {
        for (let ib = 0; ib < 5; ib++) {
          let min = Infinity;
          let max = -Infinity;
          for (let k = Math.max(0, kb * 4 - 1); k <= Math.min(dims[2] - 1, kb * 4 + 4); k++) {
            for (let j = Math.max(0, jb * 4 - 1); j <= Math.min(dims[1] - 1, jb * 4 + 4); j++) {
              for (let i = Math.max(0, ib * 4 - 1); i <= Math.min(dims[0] - 1, ib * 4 + 4); i++) {
                const v = voxels[i + dims[0] * (j + dims[1] * k)]!;
                min = Math.min(min, v);
                max = Math.max(max, v);
              }
            }
          }
          const b = ib + 5 * (jb + 4 * kb);
          expect([whole.min[b], whole.max[b]]).toEqual([min, max]);
        }
      }
    }
  });
});

describe('blockOccupancy', () => {
  it('needs exactly the blocks whose range reaches a visible value, or that hold a label', () => {
    const voxels = new Int16Array(dims[0] * dims[1] * dims[2]).fill(-1000);
    voxels[5 + dims[0] * (5 + dims[1] * 5)] = 400; // one bone voxel in block (1, 1, 1), on no block edge
    const ranges = createBlockRanges(dims, 4);
    accumulateBlockRanges(voxels, ranges, 0, dims[2]);
    const bone = transferTable(
      [
        { value: 150, colour: [1, 1, 1], opacity: 0 },
        { value: 300, colour: [1, 1, 1], opacity: 0.3 },
      ],
      1,
    );
    const needed = blockOccupancy(ranges, bone, null);
    expect([...needed.keys()].filter((b) => needed[b])).toEqual([1 + 5 * (1 + 4 * 1)]);
    // A voxel on a block's edge is in its neighbour's rim too: voxel i = 4 starts block 1, so block 0 needs it.
    voxels.fill(-1000);
    voxels[4 + dims[0] * (5 + dims[1] * 5)] = 400;
    const edge = createBlockRanges(dims, 4);
    accumulateBlockRanges(voxels, edge, 0, dims[2]);
    const edgeNeeded = blockOccupancy(edge, bone, null);
    expect([...edgeNeeded.keys()].filter((b) => edgeNeeded[b])).toEqual([0 + 5 * (1 + 4 * 1), 1 + 5 * (1 + 4 * 1)]);

    const codes = new Uint8Array(voxels.length);
    codes[18 + dims[0] * (12 + dims[1] * 10)] = 3; // the last voxel of the last block
    const labelBlocks = new Uint8Array(needed.length);
    markLabelBlocks(codes, ranges, 0, dims[2], labelBlocks);
    expect([...labelBlocks.keys()].filter((b) => labelBlocks[b])).toEqual([needed.length - 1]);
    const withLabels = blockOccupancy(ranges, bone, labelBlocks);
    expect(withLabels.reduce((a, b) => a + b, 0)).toBe(2);
  });
});
