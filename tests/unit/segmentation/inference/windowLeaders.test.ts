import { describe, expect, it } from 'vitest';
import { LeadersOverflow } from '../../../../main/segmentation/inference/LeadersOverflow.js';
import { sweepLeaders } from '../../../../main/segmentation/inference/sweepLeaders.js';
import { createWindowLeaders, windowLeaders, type WindowLeaders } from '../../../../main/segmentation/inference/windowLeaders.js';
import { bandWindow, plainLists, read, reach, slots } from './leaderWindows.js';

function listed(output: Float32Array, channels: number, size: number): { lists: WindowLeaders; result: unknown } {
  const lists = createWindowLeaders(size, slots);
  try {
    return { lists, result: windowLeaders(output, channels, size, reach, lists) };
  } catch (error) {
    return { lists, result: error };
  }
}

describe('windowLeaders lists the classes within reach of each voxel’s best', () => {
  it.each([
    [105, [7, 5, 3]],
    [21, [6, 6, 6]],
    [8, [4, 4, 4]],
    [3, [5, 4, 3]],
    // 3150 voxels: one whole block of 2048, then a partial one.
    [21, [15, 15, 14]],
    // 256 classes: 32 groups of 8, the masks' last bit too; 300 classes: 10 rows a group, so that 30 groups fit the
    // kernel's 32-bit masks (27 voxels, not a multiple of 4).
    [256, [5, 5, 3]],
    [300, [3, 3, 3]],
  ] as const)('%i classes over a %j window: ties, values at and just below the threshold, huge finite values', (channels, roi) => {
    for (const seed of [1, 2, 3]) {
      const output = bandWindow(channels, roi[0] * roi[1] * roi[2], seed);
      const size = roi[0] * roi[1] * roi[2];
      const { lists, result } = listed(output, channels, size);
      const plain = plainLists(output, channels, size);
      if (plain === 'not finite') throw new Error('the generated window should be finite');
      expect(result).toBe(0);
      expect(read(lists, size)).toEqual(plain);
      // the lists hold ties, values exactly at the threshold and classes left out just below it
      expect(plain.values.some((values, v) => values.includes(Math.fround(plain.maxima[v]! - reach)))).toBe(true);
      expect(plain.values.some((values) => new Set(values).size < values.length)).toBe(true);
    }
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
  ])('answers NaN for a window holding %s, in any class row (the groups of eight and the rest)', (_name, bad) => {
    const channels = 21;
    const size = 60;
    for (const c of [0, 7, 8, 15, 16, 20]) {
      for (const v of [0, 31, 59]) {
        const output = bandWindow(channels, size, 7);
        // a window the plain lists accept, so only the bad value decides
        for (let n = 0; n < output.length; n++) if (Math.abs(output[n]!) > 1e30) output[n] = output[n]! > 3.35e38 ? 0 : -1e4;
        output[c * size + v] = bad;
        expect(listed(output, channels, size).result).toBeNaN();
      }
    }
  });

  it('answers NaN for a NaN in the first block of a window of two (the probe holds across blocks)', () => {
    const channels = 21;
    const size = 3150;
    const output = bandWindow(channels, size, 1);
    expect(listed(output, channels, size).result).toBe(0);
    output[13 * size + 100] = Number.NaN;
    expect(listed(output, channels, size).result).toBeNaN();
  });

  it('answers 0 again for a finite window after one that was not (the probe starts again each window)', () => {
    const channels = 21;
    const size = 60;
    const output = bandWindow(channels, size, 7);
    for (let n = 0; n < output.length; n++) if (Math.abs(output[n]!) > 1e30) output[n] = output[n]! > 3.35e38 ? 0 : -1e4;
    const spoilt = output.slice();
    spoilt[9 * size + 17] = Number.NaN;
    expect(listed(spoilt, channels, size).result).toBeNaN();
    const { lists, result } = listed(output, channels, size);
    expect(result).toBe(0);
    expect(read(lists, size)).toEqual(plainLists(output, channels, size));
  });

  it('throws LeadersOverflow when more classes than the slots come within reach of a voxel', () => {
    const channels = 12;
    const size = 16;
    const output = new Float32Array(channels * size).fill(-1000);
    for (let v = 0; v < size; v++) output[(v % channels) * size + v] = 1000;
    // voxel 3: 9 classes within 50 of its best, one more than the slots
    for (let c = 0; c < 9; c++) output[c * size + 3] = 1000 - 5 * c;
    const { result } = listed(output, channels, size);
    expect(result).toBeInstanceOf(LeadersOverflow);
    expect(result).toMatchObject({ reason: 'slots' });
    // with 8 it lists them
    output[8 * size + 3] = -1000;
    const eight = listed(output, channels, size);
    expect(eight.result).toBe(0);
    expect(read(eight.lists, size).ids[3]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(read(eight.lists, size)).toEqual(plainLists(output, channels, size));
  });

  it('lists only the classes in reach of the final best, however many were near one another below it (and overflows on the final best only)', () => {
    const channels = 21;
    const size = 5;
    const output = new Float32Array(channels * size).fill(-1000);
    for (let v = 0; v < size; v++) {
      // classes 0..15 within reach of one another, more than the list holds, then a far better one in the last group
      for (let c = 0; c < 16; c++) output[c * size + v] = c;
      output[20 * size + v] = 500;
    }
    const { lists, result } = listed(output, channels, size);
    expect(result).toBe(0);
    expect(read(lists, size)).toEqual(plainLists(output, channels, size));
    expect(read(lists, size).ids).toEqual(Array.from({ length: size }, () => [20]));
    // voxel 2's last class only as good as the sixteen: all seventeen in reach, more than the slots
    output[20 * size + 2] = 15;
    expect(listed(output, channels, size).result).toBeInstanceOf(LeadersOverflow);
  });
});

describe('sweepLeaders: a batch’s lists, each patch’s packed in a buffer of its own, or why not (what the sweep’s thread hands on)', () => {
  it('gives windowLeaders’ lists entry for entry for each patch, in a buffer that holds the entries used and no more', () => {
    const channels = 105;
    // two blocks of the kernel a patch
    const size = 3150;
    const patches = [1, 2, 3].map((seed) => bandWindow(channels, size, seed));
    const batch = new Float32Array(3 * channels * size);
    patches.forEach((p, n) => batch.set(p, n * channels * size));
    const swept = sweepLeaders(batch, 3, channels, size, createWindowLeaders(size, slots));
    if (!('lists' in swept)) throw new Error('the batch should be listed');
    expect(swept.lists).toHaveLength(3);
    swept.lists.forEach((lists, n) => {
      expect(read(lists, size)).toEqual(plainLists(patches[n]!, channels, size));
      const entries = lists.count.reduce((sum, c) => sum + c, 0);
      expect(entries).toBeGreaterThan(size);
      const views = [lists.count, lists.offsets, lists.ids, lists.values, lists.maxima];
      expect(new Set(views.map((v) => v.buffer)).size).toBe(1);
      expect(lists.count.buffer.byteLength).toBe(9 * size + 6 * entries);
    });
    // each patch's buffer is its own
    expect(new Set(swept.lists.map((l) => l.count.buffer)).size).toBe(3);
  });

  it('says why an output cannot be listed: more classes in reach than the slots, where a value is not finite, the wrong size', () => {
    const channels = 21;
    const size = 60;
    const room = createWindowLeaders(size, slots);
    const output = bandWindow(channels, size, 7);
    for (let n = 0; n < output.length; n++) if (Math.abs(output[n]!) > 1e30) output[n] = output[n]! > 3.35e38 ? 0 : -1e4;
    const batch = new Float32Array(2 * channels * size);
    batch.set(output);
    batch.set(output, channels * size);
    const listed = (b: Float32Array) => {
      const swept = sweepLeaders(b, 2, channels, size, room);
      return 'lists' in swept ? swept.lists.length : swept.refused;
    };
    expect(listed(batch)).toBe(2);
    expect(listed(batch.subarray(1))).toEqual({ kind: 'size', values: 2 * channels * size - 1 });
    const spoilt = batch.slice();
    // in the second patch only: channel 5, voxel 17, and an infinity after it in the same channel
    spoilt[channels * size + 5 * size + 17] = Number.NaN;
    spoilt[channels * size + 5 * size + 40] = -Infinity;
    expect(listed(spoilt)).toEqual({ kind: 'notFinite', spot: { at: channels * size + 5 * size + 17, NaN: 1, Infinity: 0, '-Infinity': 1 } });
    const crowded = batch.slice();
    for (let c = 0; c < 9; c++) crowded[channels * size + c * size + 3] = 1e4 - c;
    expect(listed(crowded)).toEqual({ kind: 'slots' });
    // and lists again after them
    expect(listed(batch)).toBe(2);
  });
});
