import { describe, expect, it } from 'vitest';
import type { LoadedVolume } from '../../../../renderer/data/LoadedVolume.js';
import { initialViewerState, viewerReducer, type ViewerState } from '../../../../renderer/state/viewerState.js';
import { ctTestVolume } from '../ctTestVolume.js';

const source = { scanId: 'scan', seriesIndex: 2 };
const timePoint = (t: number, dims: [number, number, number] = [10, 12, 8]): LoadedVolume => {
  const volume = ctTestVolume(dims, [1, 1, 2]);
  return { ...volume, header: { ...volume.header, volumeId: `t${t}`, timePoint: t, timePoints: 4 }, source };
};

describe("viewerReducer's timePointLoaded", () => {
  const shown = (): ViewerState => {
    const s = viewerReducer(initialViewerState, { type: 'volumeLoaded', volume: timePoint(0), voi: { center: 40, width: 400 } });
    const moved = viewerReducer(s, { type: 'cursor', index: [3, 4, 5] });
    return viewerReducer(moved, { type: 'voi', voi: { center: 100, width: 50 } });
  };

  it('replaces only the voxels: cursor, window, views and MPR stay', () => {
    const before = shown();
    const after = viewerReducer(before, { type: 'timePointLoaded', volume: timePoint(2) });
    expect(after.volume?.header.timePoint).toBe(2);
    expect(after.volume?.header.volumeId).toBe('t2');
    expect(after.cursor).toEqual([3, 4, 5]);
    expect(after.voi).toEqual({ center: 100, width: 50 });
    const { volume: _a, ...rest } = after;
    const { volume: _b, ...restBefore } = before;
    expect(rest).toEqual(restBefore);
  });

  it('ignores a time point of another series or grid (a late answer after another scan opened)', () => {
    const before = shown();
    const otherSeries = { ...timePoint(1), source: { scanId: 'scan', seriesIndex: 3 } };
    expect(viewerReducer(before, { type: 'timePointLoaded', volume: otherSeries })).toBe(before);
    expect(viewerReducer(before, { type: 'timePointLoaded', volume: timePoint(1, [10, 12, 9]) })).toBe(before);
    expect(viewerReducer(initialViewerState, { type: 'timePointLoaded', volume: timePoint(1) })).toBe(initialViewerState);
  });
});
