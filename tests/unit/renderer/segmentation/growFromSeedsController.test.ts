import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSegmentationStore } from '../../../../renderer/segmentation/createSegmentationStore.js';
import { startGrowFromSeeds, type GrowStatus } from '../../../../renderer/segmentation/growFromSeedsController.js';
import { diceInGrid, makeTwoOrganPhantom, paintTwoOrganSeeds } from '../../core/segmentation/growFromSeedsPhantom.js';
import { count, grid, segment } from './segmentationFixtures.js';

const phantom = makeTwoOrganPhantom();
const whole = { min: [0, 0, 0], max: [63, 63, 47] } as const;

/** A store holding the phantom's seed strokes as segments 1 (organ A), 2 (organ B) and 3 (background). */
function seededStore(locked = false) {
  const layer = paintTwoOrganSeeds(phantom);
  return createSegmentationStore({
    grid: grid(phantom.dimensions, phantom.spacing),
    layers: [layer],
    segments: [segment(1), segment(2, { locked }), segment(3)],
    scanValue: (n) => phantom.image[n]!,
  });
}

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

describe('startGrowFromSeeds: grow from seeds as a preview tool (no worker in Node: on this thread)', () => {
  it("proposes the active segment's grown region, grows again after a stroke (reusing the last grow), and stops once applied", async () => {
    const store = seededStore();
    const statuses: GrowStatus[] = [];
    const tool = startGrowFromSeeds(store, { target: { layer: 0, value: 1 }, neighbourhood: 6 }, (s) => statuses.push(s));
    const first = await statusWhere(statuses, (s) => s.phase === 'ready');
    const proposal = store.preview.getState().proposal!;
    expect(proposal.tool).toBe('Grow from seeds');
    expect(first.box).toEqual(whole);
    expect(diceInGrid(phantom.truth, 1, proposal.mask, 1, phantom.dimensions, whole.min, whole.max)).toBeGreaterThanOrEqual(0.9);
    expect(store.getSnapshot().revision).toBe(0);

    // One more stroke in organ A (k = 12, inside the box): grown again from the kept distances.
    store.update({ type: 'beginStroke' });
    store.update({
      type: 'paint',
      segment: { layer: 0, value: 1 },
      centres: [
        [22, 32, 12],
        [26, 33, 12],
      ],
      radiusMm: 1.5,
      shape: 'disc',
      planeAxis: 2,
      erase: false,
    });
    store.update({ type: 'endStroke' });
    const second = await statusWhere(statuses, (s) => s.phase === 'ready' && s.grows === 2);
    expect(second.incremental).toBe(true);

    const grown = store.preview.getState().voxels;
    expect(store.preview.apply()).toBe(true);
    expect(count(store.getSnapshot().layers[0]!, 1)).toBe(grown);
    await statusWhere(statuses, (s) => s.phase === 'stopped');
    store.update({ type: 'undo' });
    expect(count(store.getSnapshot().layers[0]!, 1)).toBeLessThan(grown / 10);
    tool.stop();
  });

  it('leaves a locked segment alone and says so when only one segment has seeds', async () => {
    const store = seededStore(true);
    const statuses: GrowStatus[] = [];
    startGrowFromSeeds(store, { target: { layer: 0, value: 1 }, neighbourhood: 6 }, (s) => statuses.push(s));
    await statusWhere(statuses, (s) => s.phase === 'ready');
    const layer = store.getSnapshot().layers[0]!;
    const lockedBefore = count(layer, 2);
    const mask = store.preview.getState().proposal!.mask;
    for (let n = 0; n < mask.length; n++) if (layer[n] === 2) expect(mask[n]).toBe(0);
    store.preview.apply();
    expect(count(layer, 2)).toBe(lockedBefore);

    const lonely = createSegmentationStore({ grid: grid(phantom.dimensions), layers: [], segments: [segment(1)], scanValue: (n) => phantom.image[n]! });
    lonely.update({ type: 'paint', segment: { layer: 0, value: 1 }, centres: [[20, 20, 20]], radiusMm: 2, shape: 'sphere', planeAxis: 2, erase: false });
    const notes: GrowStatus[] = [];
    startGrowFromSeeds(lonely, { target: { layer: 0, value: 1 }, neighbourhood: 6 }, (s) => notes.push(s));
    const failed = await statusWhere(notes, (s) => s.phase === 'failed');
    expect(failed.message).toMatch(/two or more segments/);
    expect(lonely.preview.getState().proposal).toBeNull();
  });

  describe('with a worker that cannot load (a page origin that refuses it)', () => {
    afterEach(() => vi.unstubAllGlobals());

    it('grows on the page instead, with the same proposal', async () => {
      /** A Worker whose script fails to load: its error arrives after the first message. */
      class FailingWorker {
        onmessage: unknown = null;
        onerror: ((event: { preventDefault(): void }) => void) | null = null;
        postMessage(): void {
          setTimeout(() => this.onerror?.({ preventDefault: () => undefined }), 0);
        }
        terminate(): void {}
      }
      vi.stubGlobal('Worker', FailingWorker);
      const store = seededStore();
      const statuses: GrowStatus[] = [];
      startGrowFromSeeds(store, { target: { layer: 0, value: 1 }, neighbourhood: 6 }, (s) => statuses.push(s));
      const ready = await statusWhere(statuses, (s) => s.phase === 'ready');
      expect(statuses.some((s) => s.phase === 'failed')).toBe(false);
      expect(ready.grows).toBe(1);
      expect(ready.inWorker).toBe(false);
      const mask = store.preview.getState().proposal!.mask;
      expect(diceInGrid(phantom.truth, 1, mask, 1, phantom.dimensions, whole.min, whole.max)).toBeGreaterThanOrEqual(0.9);
    });
  });
});
