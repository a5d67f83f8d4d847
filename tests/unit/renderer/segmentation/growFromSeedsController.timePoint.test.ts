import { describe, expect, it } from 'vitest';
import { createSegmentationStore } from '../../../../renderer/segmentation/createSegmentationStore.js';
import { startGrowFromSeeds, type GrowStatus } from '../../../../renderer/segmentation/growFromSeedsController.js';
import { changingScanValues } from '../../../../renderer/segmentation/growFromSeedsScanValues.js';
import { count, grid, segment } from './segmentationFixtures.js';

/** 20 × 4 voxels, one slice: 100 left of column `edge`, 200 from it on (two time points of a 4D series). */
const dimensions = [20, 4, 1] as const;
const image = (edge: number): Int16Array => Int16Array.from({ length: 80 }, (_, n) => (n % 20 < edge ? 100 : 200));

/** Resolves with the first status that passes `test`. */
function statusWhere(statuses: GrowStatus[], test: (s: GrowStatus) => boolean): Promise<GrowStatus> {
  return new Promise((resolve) => {
    const poll = (): void => {
      const found = statuses.find(test);
      if (found) resolve(found);
      else setTimeout(poll, 5);
    };
    poll();
  });
}

describe('startGrowFromSeeds: the scan values change under it (another time point drawn)', () => {
  it("grows again on the new time point's values, not on the copy it started with", async () => {
    let shown = image(10);
    const values = changingScanValues((n) => shown[n]!);
    // Seeds: segment 1 in column 0, segment 2 in column 19, every row.
    const layer = new Uint8Array(80);
    for (let row = 0; row < 4; row++) [layer[row * 20], layer[row * 20 + 19]] = [1, 2];
    const store = createSegmentationStore({ grid: grid(dimensions), layers: [layer], segments: [segment(1), segment(2)], scanValue: values.scanValue });
    const statuses: GrowStatus[] = [];
    const tool = startGrowFromSeeds(store, { target: { layer: 0, value: 1 }, neighbourhood: 6 }, (s) => statuses.push(s));
    expect((await statusWhere(statuses, (s) => s.phase === 'ready')).voxels).toBe(40);

    // The next time point: its edge is at column 5. A segment renamed meanwhile (a regrow of its own) changes nothing.
    shown = image(5);
    values.changed();
    store.update({ type: 'renameSegment', segment: { layer: 0, value: 2 }, name: 'other' });
    await new Promise((r) => setTimeout(r, 50));
    await statusWhere(statuses, (s) => s.phase === 'ready' && s.grows >= 2);
    await new Promise((r) => setTimeout(r, 50));
    const last = statuses.filter((s) => s.phase === 'ready').at(-1)!;
    expect(last.voxels).toBe(20);
    expect(count(store.preview.getState().proposal!.mask, 1)).toBe(20);
    tool.stop();
  });
});
