import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ArgumentsOf, Result, ResultTypes } from '../../../../core/contract.js';
import { decodeRuns } from '../../../../renderer/segmentation/decodeRuns.js';
import { createSegmentationStore } from '../../../../renderer/segmentation/createSegmentationStore.js';
import { syncSegmentation } from '../../../../renderer/actions/syncSegmentation.js';
import { grid, segment } from '../segmentation/segmentationFixtures.js';

type EditCall = { readonly args: ArgumentsOf<'mask:edit'>; readonly answer: (r: Result<ResultTypes['mask:edit']>) => void };

const refused: Result<ResultTypes['mask:edit']> = { ok: false, error: { code: 'UNKNOWN_ID', message: 'that scan is no longer loaded' } };
const kept: Result<ResultTypes['mask:edit']> = { ok: true, value: { segments: [], unsavedEdits: 1 } };

/** A store of 4×4×2 voxels with segment 1, its sync answering from `calls`, and what the page was told. */
function following() {
  const store = createSegmentationStore({ grid: grid([4, 4, 2]), layers: [new Uint8Array(32)], segments: [segment(1)] });
  const calls: EditCall[] = [];
  const errors: string[] = [];
  const sync = syncSegmentation({
    api: {
      'mask:edit': (args) => new Promise((answer) => calls.push({ args, answer })),
      'mask:statistics': () => Promise.reject(new Error('not expected')),
    },
    maskId: 'm1',
    volumeId: 'v1',
    store,
    onSynced: () => undefined,
    onError: (message) => errors.push(message),
    onUnprotected: () => undefined,
  });
  const dab = (i: number): void => {
    store.update({ type: 'beginStroke' });
    store.update({ type: 'paint', segment: { layer: 0, value: 1 }, centres: [[i, 0, 0]], radiusMm: 0.5, shape: 'disc', planeAxis: 2, erase: false });
    store.update({ type: 'endStroke' });
  };
  return { store, calls, errors, sync, dab };
}

/** The voxels labelled 1 once a call's edits are applied to an empty layer. */
const painted = (call: EditCall): number[] => {
  const layer = new Uint8Array(32);
  for (const e of call.args.edits) decodeRuns(new Uint32Array(e.runs.slice().buffer), layer);
  return [...layer.keys()].filter((n) => layer[n] === 1);
};

afterEach(() => vi.useRealTimers());

describe('syncSegmentation: a change main did not keep', () => {
  it('is sent again (with the changes made since), never dropped, and the page is told only once retries are spent', async () => {
    vi.useFakeTimers();
    const { calls, errors, sync, dab } = following();
    dab(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(painted(calls[0]!)).toEqual([0]);
    calls[0]!.answer(refused);
    await vi.advanceTimersByTimeAsync(0);
    // A dab meanwhile goes at once, with the refused one in front of it.
    dab(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(painted(calls[1]!)).toEqual([0, 2]);
    // Refused on every retry: after the last, the page is told plainly, and synced() no longer waits.
    for (const n of [1, 2]) {
      calls[n]!.answer(refused);
      await vi.advanceTimersByTimeAsync(5000);
      expect(painted(calls[n + 1]!)).toEqual([0, 2]);
    }
    expect(errors).toEqual([]);
    calls[3]!.answer(refused);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(4);
    expect(errors).toEqual([expect.stringMatching(/^Could not keep the edit: that scan is no longer loaded\. It is still shown but not kept/)]);
    await sync.synced();
    // The next edit takes them all, and main keeps them.
    dab(3);
    await vi.advanceTimersByTimeAsync(0);
    expect(painted(calls[4]!)).toEqual([0, 2, 3]);
    calls[4]!.answer(kept);
    await vi.advanceTimersByTimeAsync(0);
    await sync.synced();
    expect(calls).toHaveLength(5);
    sync.stop();
  });
});
