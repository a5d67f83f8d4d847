import { describe, expect, it } from 'vitest';
import { createSegmentationStore } from '../../../../renderer/segmentation/createSegmentationStore.js';
import { proposeFill } from '../../../../renderer/segmentation/proposeFill.js';
import { proposeRegion } from '../../../../renderer/segmentation/proposeRegion.js';
import { count, grid, segment } from './segmentationFixtures.js';

const dims = [40, 40, 21] as const;
const at = (i: number, j: number, k: number) => i + 40 * (j + 40 * k);

describe('proposeFill and proposeRegion: tools that propose on the store preview', () => {
  it('fills between slices drawn every fifth slice as a proposal (no worker in Node: on this thread), applied as one undo step', async () => {
    const layer = new Uint8Array(40 * 40 * 21);
    // A 10×10 square on slices 0, 5, 10, 15, 20 and a locked segment's voxel on slice 7.
    for (const k of [0, 5, 10, 15, 20]) for (let j = 10; j < 20; j++) for (let i = 10; i < 20; i++) layer[at(i, j, k)] = 1;
    layer[at(15, 15, 7)] = 2;
    const store = createSegmentationStore({ grid: grid(dims), layers: [layer], segments: [segment(1), segment(2, { locked: true })] });
    const outcome = await proposeFill(store, { layer: 0, value: 1 }, 2);
    expect(outcome).toEqual({ voxels: 16 * 100 - 1, filledSlices: 16, drawnSlices: 5 });
    expect(store.getSnapshot().revision).toBe(0);
    expect(store.preview.getState().voxels).toBe(1599);
    expect(store.preview.apply()).toBe(true);
    expect(count(layer, 1)).toBe(2100 - 1);
    expect(layer[at(15, 15, 7)]).toBe(2);
    store.update({ type: 'undo' });
    expect(count(layer, 1)).toBe(500);
  });

  it('proposes nothing when there is no gap to fill', async () => {
    const layer = new Uint8Array(40 * 40 * 21);
    layer[at(5, 5, 3)] = 1;
    const store = createSegmentationStore({ grid: grid(dims), layers: [layer], segments: [segment(1)] });
    expect((await proposeFill(store, { layer: 0, value: 1 }, 2)).voxels).toBe(0);
    expect(store.preview.getState().proposal).toBeNull();
  });

  it('grows a region from a click on the scan values, around locked voxels, and withdraws it for a click on a locked voxel', () => {
    const scan = new Float32Array(40 * 40 * 21);
    for (let k = 5; k < 15; k++) for (let j = 5; j < 25; j++) for (let i = 5; i < 25; i++) scan[at(i, j, k)] = 100;
    const layer = new Uint8Array(scan.length);
    layer[at(6, 6, 6)] = 2;
    const store = createSegmentationStore({
      grid: grid(dims),
      layers: [layer],
      segments: [segment(1), segment(2, { locked: true })],
      scanValue: (n) => scan[n]!,
    });
    const region = proposeRegion(store, { layer: 0, value: 1 }, [10, 10, 10], { kind: 'tolerance', tolerance: 20 });
    expect(region).toEqual({ voxels: 3999, min: 80, max: 120, truncated: false });
    expect(store.preview.getState().proposal?.tool).toBe('Region from a click');
    expect(proposeRegion(store, { layer: 0, value: 1 }, [6, 6, 6], { kind: 'tolerance', tolerance: 20 }).voxels).toBe(0);
    expect(store.preview.getState().proposal).toBeNull();
  });
});
