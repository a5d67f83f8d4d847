import { describe, expect, it } from 'vitest';
import { createSegmentationStore } from '../../../../renderer/segmentation/createSegmentationStore.js';
import { count, grid, segment } from './segmentationFixtures.js';

const dims = [16, 16, 8] as const;

describe("a model's new segment (click to segment): AUTOMATIC until edited by hand", () => {
  it('is added AUTOMATIC with its algorithm, stays so when its preview is applied, and turns SEMIAUTOMATIC at the first brush stroke', () => {
    const store = createSegmentationStore({ grid: grid(dims), layers: [], segments: [segment(1)] });
    store.update({ type: 'addSegment', name: 'organ', algorithmName: 'demo-deepedit' });
    const added = store.getSnapshot().segments.at(-1)!;
    expect(added).toMatchObject({ layer: 0, value: 2, name: 'organ', algorithmType: 'AUTOMATIC', algorithmName: 'demo-deepedit' });
    const key = { layer: 0, value: 2 };
    const mask = new Uint8Array(dims[0] * dims[1] * dims[2]).fill(1, 0, 300);
    store.preview.propose({ segment: key, mask, tool: 'Click to segment', mode: 'replace', automatic: true });
    expect(store.preview.apply()).toBe(true);
    expect(count(store.getSnapshot().layers[0]!, 2)).toBe(300);
    expect(store.getSnapshot().segments.at(-1)!.algorithmType).toBe('AUTOMATIC');
    store.update({ type: 'paint', segment: key, centres: [[8, 8, 4]], radiusMm: 1, shape: 'disc', planeAxis: 2, erase: false });
    expect(store.getSnapshot().segments.at(-1)).toMatchObject({ algorithmType: 'SEMIAUTOMATIC', algorithmName: 'demo-deepedit' });
  });

  it('a segment added by hand is MANUAL, as before', () => {
    const store = createSegmentationStore({ grid: grid(dims), layers: [], segments: [] });
    store.update({ type: 'addSegment' });
    expect(store.getSnapshot().segments[0]).toMatchObject({ name: 'Segment 1', algorithmType: 'MANUAL' });
    expect(store.getSnapshot().segments[0]!.algorithmName).toBeUndefined();
  });
});
