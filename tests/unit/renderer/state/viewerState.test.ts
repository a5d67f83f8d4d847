import { describe, expect, it } from 'vitest';
import type { MaskHeader, VolumeHeader } from '../../../../preload/contract.js';
import { storedPixelFormat } from '../../../../renderer/display/storedPixels.js';
import type { LoadedMask, LoadedVolume } from '../../../../renderer/state/loadedData.js';
import { initialViewerState, viewerReducer, type ViewerState } from '../../../../renderer/state/viewerState.js';

const header: VolumeHeader = {
  volumeId: 'v1',
  dimensions: [4, 6, 8],
  spacing: [1, 1, 1],
  origin: [0, 0, 0],
  direction: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  dataType: 'int16',
  range: [-1000, 1000],
  units: 'HU',
  modality: 'CT',
  description: '',
  windowPresets: [],
  invertDisplay: false,
  details: [],
  warnings: [],
  dataUrl: 'x',
};
const volume: LoadedVolume = { header, voxels: new Int16Array(192), format: storedPixelFormat('int16', header.range) };
const maskHeader: MaskHeader = {
  maskId: 'm1',
  volumeId: 'v1',
  name: 'labels',
  dataType: 'uint8',
  segments: [{ value: 1, name: 'liver', colour: [200, 100, 50], voxels: 3, volumeMl: 0.003 }],
  warnings: [],
  dataUrl: 'y',
};
const mask: LoadedMask = { header: maskHeader, labels: new Uint8Array(192), maxLabel: 1 };

function loaded(): ViewerState {
  const s = viewerReducer(initialViewerState, { type: 'volumeLoaded', volume, voi: { center: 40, width: 400 } });
  return viewerReducer(s, { type: 'maskLoaded', mask });
}

describe('viewerReducer', () => {
  it('opens a volume at its centre voxel and clamps the crosshair inside it', () => {
    const s = loaded();
    expect(s.cursor).toEqual([1, 2, 3]);
    expect(viewerReducer(s, { type: 'cursor', index: [-5, 2.4, 99] }).cursor).toEqual([0, 2, 7]);
  });

  it('ignores a mask made for another volume', () => {
    const s = viewerReducer(initialViewerState, { type: 'volumeLoaded', volume, voi: { center: 0, width: 1 } });
    const other = { ...mask, header: { ...maskHeader, volumeId: 'v2' } };
    expect(viewerReducer(s, { type: 'maskLoaded', mask: other }).mask).toBeNull();
  });

  it('keeps a locked segment’s visibility and colour until it is unlocked', () => {
    let s = viewerReducer(loaded(), { type: 'segmentLocked', value: 1, locked: true });
    s = viewerReducer(s, { type: 'segmentVisible', value: 1, visible: false });
    s = viewerReducer(s, { type: 'segmentColour', value: 1, colour: [1, 2, 3] });
    expect(s.segments[1]).toEqual({ visible: true, locked: true, colour: [200, 100, 50] });
    s = viewerReducer(s, { type: 'segmentLocked', value: 1, locked: false });
    expect(viewerReducer(s, { type: 'segmentVisible', value: 1, visible: false }).segments[1]!.visible).toBe(false);
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
