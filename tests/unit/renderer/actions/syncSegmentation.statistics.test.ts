import { describe, expect, it } from 'vitest';
import type { ArgumentsOf, Result, ResultTypes, SegmentInfo } from '../../../../core/contract.js';
import { createSegmentationStore } from '../../../../renderer/segmentation/createSegmentationStore.js';
import { syncSegmentation } from '../../../../renderer/actions/syncSegmentation.js';

const grid = {
  dimensions: [4, 4, 2] as const,
  spacing: [1, 1, 1] as const,
  direction: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ] as const,
};

/** A statistics row whose mean names the call that answered it. */
const row = (mean: number): SegmentInfo => ({
  layer: 0,
  value: 1,
  name: 'a',
  colour: [1, 2, 3],
  algorithmType: 'MANUAL',
  locked: false,
  voxels: 1,
  volumeMl: 0.001,
  mean,
  sd: 0,
  min: mean,
  max: mean,
});

type Call =
  | { readonly channel: 'mask:edit'; readonly args: ArgumentsOf<'mask:edit'>; readonly answer: (r: Result<ResultTypes['mask:edit']>) => void }
  | {
      readonly channel: 'mask:statistics';
      readonly args: ArgumentsOf<'mask:statistics'>;
      readonly answer: (r: Result<ResultTypes['mask:statistics']>) => void;
    };

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('syncSegmentation: statistics of the time point shown (statsOf)', () => {
  it('asks main for the new volume after the change on its way, and names it in every later edit', async () => {
    const store = createSegmentationStore({ grid, layers: [], segments: [] });
    const calls: Call[] = [];
    const synced: { revision: number; mean: number | null | undefined; volumeId: string | undefined }[] = [];
    const sync = syncSegmentation({
      api: {
        'mask:edit': (args) => new Promise((answer) => calls.push({ channel: 'mask:edit', args, answer })),
        'mask:statistics': (args) => new Promise((answer) => calls.push({ channel: 'mask:statistics', args, answer })),
      },
      maskId: 'm1',
      volumeId: 't0',
      store,
      onSynced: (revision, stats, _unsaved, volumeId) => synced.push({ revision, mean: stats?.[0]?.mean, volumeId }),
      onError: (message) => {
        throw new Error(message);
      },
      onUnprotected: () => {},
    });
    store.update({ type: 'addSegment' });
    await tick();
    // The time point changes while the edit is on its way: the question waits for its answer.
    sync.statsOf('t2');
    await tick();
    expect(calls.map((c) => [c.channel, c.args.volumeId])).toEqual([['mask:edit', 't0']]);
    calls[0]!.answer({ ok: true, value: { segments: [row(10)], unsavedEdits: 1 } });
    await tick();
    expect(calls.map((c) => [c.channel, c.args.volumeId])).toEqual([
      ['mask:edit', 't0'],
      ['mask:statistics', 't2'],
    ]);
    expect(calls[1]!.args).toEqual({ maskId: 'm1', volumeId: 't2' });
    (calls[1] as Extract<Call, { channel: 'mask:statistics' }>).answer({ ok: true, value: { segments: [row(210)] } });
    await tick();
    const revision = store.getSnapshot().revision;
    expect(synced).toEqual([
      { revision, mean: 10, volumeId: 't0' },
      { revision, mean: 210, volumeId: 't2' },
    ]);
    // The same volume again asks nothing; an edit now names it.
    sync.statsOf('t2');
    store.update({ type: 'renameSegment', segment: { layer: 0, value: 1 }, name: 'b' });
    await tick();
    expect(calls.map((c) => [c.channel, c.args.volumeId])).toEqual([
      ['mask:edit', 't0'],
      ['mask:statistics', 't2'],
      ['mask:edit', 't2'],
    ]);
    calls[2]!.answer({ ok: true, value: { segments: [row(211)], unsavedEdits: 2 } });
    await sync.synced();
    expect(synced.at(-1)).toEqual({ revision: store.getSnapshot().revision, mean: 211, volumeId: 't2' });
    sync.stop();
  });
});
