import { describe, expect, it } from 'vitest';
import { ctTestVolume } from '../ctTestVolume.js';
import { createSegmentationStore } from '../../../../renderer/segmentation/createSegmentationStore.js';
import { initialViewerState, viewerReducer, type SegmentationSession, type ViewerState } from '../../../../renderer/state/viewerState.js';

const volume = ctTestVolume([4, 6, 8], [1, 1, 1], { recovery: { maskName: 'labels', savedAt: '2026-11-25T10:00:00Z', edits: 3, dropped: 0, damage: null } });
const { header } = volume;
function session(maskId = 'm1'): SegmentationSession {
  const liver = {
    layer: 0,
    value: 1,
    name: 'liver',
    colour: [200, 100, 50] as [number, number, number],
    algorithmType: 'AUTOMATIC' as const,
    algorithmName: 'demo',
    locked: false,
  };
  const store = createSegmentationStore({ grid: header, layers: [new Uint8Array(192)], segments: [liver] });
  return { maskId, name: 'labels', store, snapshot: store.getSnapshot(), stats: [], statsRevision: 0, unsavedEdits: 0, synced: () => Promise.resolve() };
}

function loaded(): ViewerState {
  const s = viewerReducer(initialViewerState, { type: 'volumeLoaded', volume, voi: { center: 40, width: 400 } });
  return viewerReducer(s, { type: 'maskLoaded', volumeId: 'v1', session: session() });
}

describe('viewerReducer', () => {
  it('opens a volume at its centre voxel and clamps the crosshair inside it', () => {
    const s = loaded();
    expect(s.cursor).toEqual([1, 2, 3]);
    expect(viewerReducer(s, { type: 'cursor', index: [-5, 2.4, 99] }).cursor).toEqual([0, 2, 7]);
  });

  it('ignores a mask made for another volume, and offers the volume’s unsaved edits', () => {
    const s = viewerReducer(initialViewerState, { type: 'volumeLoaded', volume, voi: { center: 0, width: 1 } });
    expect(s.recovery).toEqual(header.recovery);
    expect(viewerReducer(s, { type: 'maskLoaded', volumeId: 'v2', session: session() }).segmentation).toBeNull();
  });

  it('makes the first segment the one to paint, follows the store, and takes stats only for its own mask', () => {
    let s = loaded();
    expect(s.activeSegment).toEqual({ layer: 0, value: 1 });
    expect(s.segments).toEqual({ '0:1': { visible: true } });
    s = viewerReducer(s, { type: 'segmentVisible', key: '0:1', visible: false });
    const { store } = s.segmentation!;
    store.update({ type: 'addSegment', name: 'lesion' });
    s = viewerReducer(s, { type: 'segmentationChanged', maskId: 'm1', snapshot: store.getSnapshot() });
    expect(s.segmentation!.snapshot.segments.map((x) => x.name)).toEqual(['liver', 'lesion']);
    expect(s.activeSegment).toEqual({ layer: 0, value: 2 });
    expect(s.segments).toEqual({ '0:1': { visible: false }, '0:2': { visible: true } });
    expect(viewerReducer(s, { type: 'segmentStats', maskId: 'other', stats: [], revision: 9 }).segmentation!.stats).toBe(s.segmentation!.stats);
  });

  it('follows only its own job’s progress', () => {
    let s = viewerReducer(loaded(), { type: 'jobStarted', jobId: 'j1' });
    s = viewerReducer(s, { type: 'jobProgress', progress: { jobId: 'j0', done: 1, total: 2, elapsedSeconds: 1, etaSeconds: 1 } });
    expect(s.job?.progress).toBeNull();
    s = viewerReducer(s, { type: 'jobProgress', progress: { jobId: 'j1', done: 1, total: 2, elapsedSeconds: 1, etaSeconds: 1 } });
    expect(s.job?.progress?.done).toBe(1);
  });

  it('resets the window to the one the volume opened with', () => {
    let s = viewerReducer(loaded(), { type: 'voi', voi: { center: -600, width: 1500 } });
    s = viewerReducer(s, { type: 'resetViews' });
    expect(s.voi).toEqual({ center: 40, width: 400 });
    expect(s.resetToken).toBe(1);
  });
});
