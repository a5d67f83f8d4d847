import { describe, expect, it } from 'vitest';
import type { EventTypes, VolumeHeader } from '../../../../core/contract.js';
import { createClickSegmentSession, type ClickSegmentApi } from '../../../../renderer/actions/createClickSegmentSession.js';
import { labelColour } from '../../../../core/labels/labelColour.js';
import { lighter } from '../../../../renderer/segmentation/createMaskPreview.js';
import { createSegmentationStore } from '../../../../renderer/segmentation/createSegmentationStore.js';
import type { SliceClick } from '../../../../renderer/segmentation/MaskPreview.js';
import { grid, segment } from '../segmentation/segmentationFixtures.js';

const dims = [4, 4, 2] as const;
const voxels = dims[0] * dims[1] * dims[2];
const volume = { volumeId: 'v1', dimensions: dims } as unknown as VolumeHeader;
const click = (button: 'left' | 'right'): SliceClick => ({ index: [1, 1, 0], world: [1, 1, 0], button, ctrlKey: false });

/** A label layer with the organ (value 1) on the first `count` voxels, as main serves it: a data: URL. */
function result(jobId: string, count: number): EventTypes['segmentation:done'] {
  const labels = new Uint8Array(voxels).fill(1, 0, count);
  const dataUrl = `data:application/octet-stream;base64,${Buffer.from(labels).toString('base64')}`;
  const organ = { layer: 0, value: 1, name: 'organ', colour: [200, 0, 0], algorithmType: 'AUTOMATIC', algorithmName: 'demo-deepedit', locked: false };
  const value = { maskId: `m-${jobId}`, volumeId: 'v1', name: 'r', layers: [{ dataType: 'uint8', dataUrl }], segments: [organ], warnings: [], unsavedEdits: 0 };
  return { jobId, result: { ok: true, value: { ...value, provider: 'cpu', seconds: 0.2 } } } as unknown as EventTypes['segmentation:done'];
}

/** Main's side: each run call answers with a job id; the test says when each job's result arrives. */
function fakeMain() {
  const listeners = new Set<(payload: EventTypes['segmentation:done']) => void>();
  const runs: { points: unknown[] | undefined }[] = [];
  const closed: string[] = [];
  const api = {
    on: (_event: string, listener: (payload: EventTypes['segmentation:done']) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    'segmentation:run': async (args: { points?: unknown[] }) => {
      runs.push({ points: args.points });
      return { ok: true, value: { jobId: `j${runs.length}` } };
    },
    'mask:close': async ({ maskId }: { maskId: string }) => {
      closed.push(maskId);
      return { ok: true, value: {} };
    },
  } as unknown as ClickSegmentApi;
  const finish = async (jobId: string, count: number, meanwhile?: () => void): Promise<void> => {
    for (const listener of [...listeners]) listener(result(jobId, count));
    meanwhile?.();
    // The session loads the labels (fetch of a data: URL) and closes main's copy.
    await new Promise((done) => setTimeout(done, 50));
  };
  return { api, runs, closed, finish, listening: () => listeners.size };
}

/** A store with one segment, main faked, and a click session on them. */
function startSession() {
  const store = createSegmentationStore({ grid: grid(dims), layers: [], segments: [segment(1)] });
  const main = fakeMain();
  const session = createClickSegmentSession({ api: main.api, volume, store, device: 'cpu', onChange: () => undefined });
  return { store, main, session };
}

describe('createClickSegmentSession: every click reruns the model, the latest answer is the preview', () => {
  it("sends every click so far, shows only the newest run's result, and closes main's copy of every result", async () => {
    const { store, main, session } = startSession();
    session.click(click('left'));
    session.click(click('right'));
    await new Promise((done) => setTimeout(done, 10));
    expect(main.runs.map((r) => r.points)).toEqual([
      [{ kind: 'fg', world: [1, 1, 0] }],
      [
        { kind: 'fg', world: [1, 1, 0] },
        { kind: 'bg', world: [1, 1, 0] },
      ],
    ]);
    // The newer run answers first; the older one's answer, later, is let go.
    await main.finish('j2', 5);
    expect(store.preview.getState().voxels).toBe(5);
    // Previewed in the colour the new segment will get (label 2's, lightened); no segment yet.
    expect(store.preview.getState().proposal?.segment).toEqual({ create: { name: 'organ', algorithmName: 'demo-deepedit' } });
    expect(store.preview.getState().colour).toEqual(lighter(labelColour(2)));
    expect(store.getSnapshot().segments).toHaveLength(1);
    await main.finish('j1', 9);
    expect(store.preview.getState().voxels).toBe(5);
    expect(main.closed.sort()).toEqual(['m-j1', 'm-j2']);
    session.dispose();
    expect(main.listening()).toBe(0);
  });

  it('a Clear while the result loads drops it: no preview, no segment added', async () => {
    const { store, main, session } = startSession();
    session.click(click('left'));
    await new Promise((done) => setTimeout(done, 10));
    await main.finish('j1', 5, () => session.clear());
    expect(store.preview.getState().proposal).toBeNull();
    expect(store.getSnapshot().segments).toHaveLength(1);
    expect(main.closed).toEqual(['m-j1']);
    session.dispose();
  });

  it("after dispose, still closes main's copy of a result still under way, then stops listening", async () => {
    const { store, main, session } = startSession();
    session.click(click('left'));
    await new Promise((done) => setTimeout(done, 10));
    session.dispose();
    expect(main.listening()).toBe(1);
    await main.finish('j1', 7);
    expect(main.closed).toEqual(['m-j1']);
    expect(store.preview.getState().proposal).toBeNull();
    expect(main.listening()).toBe(0);
  });

  it('an unapplied result leaves nothing: Cancel or Clear, no segment and nothing to undo', async () => {
    const { store, main, session } = startSession();
    session.click(click('left'));
    await new Promise((done) => setTimeout(done, 10));
    await main.finish('j1', 5);
    store.preview.cancel();
    expect(store.getSnapshot().segments.map((s) => s.value)).toEqual([1]);
    expect(store.getSnapshot().canUndo).toBe(false);
    session.click(click('left'));
    await new Promise((done) => setTimeout(done, 10));
    await main.finish('j2', 6);
    expect(store.preview.getState().voxels).toBe(6);
    session.clear();
    expect(store.preview.getState().proposal).toBeNull();
    expect(store.getSnapshot().segments).toHaveLength(1);
    expect(store.getSnapshot().canUndo).toBe(false);
    session.dispose();
  });

  it('Apply creates the segment with its voxels as one undo step; later results replace it; Undo takes back both', async () => {
    const { store, main, session } = startSession();
    session.click(click('left'));
    await new Promise((done) => setTimeout(done, 10));
    await main.finish('j1', 5);
    expect(store.preview.apply()).toBe(true);
    const kept = store.getSnapshot();
    expect(kept.segments.at(-1)).toMatchObject({ name: 'organ', value: 2, algorithmType: 'AUTOMATIC' });
    expect(kept.layers[0]!.filter((v) => v === 2)).toHaveLength(5);
    // The next click refines the applied segment: its proposal replaces segment 2's voxels.
    session.click(click('right'));
    await new Promise((done) => setTimeout(done, 10));
    await main.finish('j2', 3);
    expect(store.preview.getState().proposal?.segment).toEqual({ layer: 0, value: 2 });
    expect(store.preview.apply()).toBe(true);
    expect(store.getSnapshot().layers[0]!.filter((v) => v === 2)).toHaveLength(3);
    store.update({ type: 'undo' });
    expect(store.getSnapshot().layers[0]!.filter((v) => v === 2)).toHaveLength(5);
    // One more undo takes back the segment and its voxels together: no empty segment stays.
    store.update({ type: 'undo' });
    expect(store.getSnapshot().segments.map((s) => s.value)).toEqual([1]);
    expect(store.getSnapshot().layers[0]!.some((v) => v === 2)).toBe(false);
    expect(store.getSnapshot().canUndo).toBe(false);
    // A segment drawn by hand after that takes the freed value 2: the next result must not replace it.
    store.update({ type: 'addSegment', name: 'mine' });
    expect(store.getSnapshot().segments.at(-1)).toMatchObject({ value: 2, algorithmType: 'MANUAL' });
    session.click(click('left'));
    await new Promise((done) => setTimeout(done, 10));
    await main.finish('j3', 4);
    expect(store.preview.getState().proposal?.segment).toEqual({ create: { name: 'organ', algorithmName: 'demo-deepedit' } });
    session.dispose();
  });

  it("a result with no voxels drops only this session's preview, not another tool's", async () => {
    const { store, main, session } = startSession();
    session.click(click('left'));
    await new Promise((done) => setTimeout(done, 10));
    const other = { segment: { layer: 0, value: 1 }, mask: new Uint8Array(voxels).fill(1, 0, 3), tool: 'Fill between slices' };
    store.preview.propose(other);
    await main.finish('j1', 0);
    expect(store.preview.getState().proposal).toBe(other);
    session.dispose();
  });
});
