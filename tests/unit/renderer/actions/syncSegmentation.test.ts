import { describe, expect, it } from 'vitest';
import type { ArgumentsOf, Result, ResultTypes } from '../../../../core/contract.js';
import { createSegmentationStore } from '../../../../renderer/segmentation/createSegmentationStore.js';
import { syncSegmentation } from '../../../../renderer/actions/syncSegmentation.js';

/** A store of a 4×4×2 grid with no segments yet. */
const emptyStore = () =>
  createSegmentationStore({
    grid: {
      dimensions: [4, 4, 2],
      spacing: [1, 1, 1],
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    },
    layers: [],
    segments: [],
  });

/** No statistics are asked for where no other volume is shown. */
const unexpected = (): never => {
  throw new Error('mask:statistics was not expected');
};

describe('syncSegmentation: synced()', () => {
  it('resolves only once main has answered every change made before it was asked, with main’s unsaved count', async () => {
    const store = emptyStore();
    const calls: { args: ArgumentsOf<'mask:edit'>; answer: (r: Result<ResultTypes['mask:edit']>) => void }[] = [];
    const synced: (number | undefined)[] = [];
    const sync = syncSegmentation({
      api: { 'mask:edit': (args) => new Promise((answer) => calls.push({ args, answer })), 'mask:statistics': unexpected },
      maskId: 'm1',
      volumeId: 'v1',
      store,
      onSynced: (_revision, _stats, unsavedEdits) => synced.push(unsavedEdits),
      onError: (message) => {
        throw new Error(message);
      },
      onUnprotected: (why) => {
        throw new Error(why);
      },
    });
    await sync.synced();
    store.update({ type: 'addSegment' });
    store.update({ type: 'renameSegment', segment: { layer: 0, value: 1 }, name: 'lesion' });
    let done = false;
    const waiting = sync.synced().then(() => (done = true));
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toHaveLength(1);
    calls[0]!.answer({ ok: true, value: { segments: [], unsavedEdits: 1 } });
    await new Promise((r) => setTimeout(r, 0));
    // The rename went in a second call, still unanswered.
    expect(done).toBe(false);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args.segments[0]!.name).toBe('lesion');
    calls[1]!.answer({ ok: true, value: { segments: [], unsavedEdits: 2 } });
    await waiting;
    expect(synced).toEqual([1, 2]);
    sync.stop();
    await sync.synced();
  });

  it('says once that main kept changes it could not journal, and again after a journaled one', async () => {
    const store = emptyStore();
    const answers = ['ENOSPC', 'ENOSPC', undefined, 'EIO'];
    let unsaved = 0;
    const said: string[] = [];
    const sync = syncSegmentation({
      api: {
        'mask:edit': () => {
          const why = answers[unsaved];
          unsaved++;
          return Promise.resolve({ ok: true, value: { segments: [], unsavedEdits: unsaved, ...(why !== undefined && { unprotected: why }) } });
        },
        'mask:statistics': unexpected,
      },
      maskId: 'm1',
      volumeId: 'v1',
      store,
      onSynced: () => {},
      onError: (message) => {
        throw new Error(message);
      },
      onUnprotected: (why) => said.push(why),
    });
    for (let n = 0; n < answers.length; n++) {
      store.update({ type: 'addSegment' });
      await sync.synced();
    }
    expect(unsaved).toBe(4);
    expect(said).toEqual(['ENOSPC', 'EIO']);
    sync.stop();
  });
});
