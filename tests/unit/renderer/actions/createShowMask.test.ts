import { describe, expect, it } from 'vitest';
import type { AxialApi, MaskHeader } from '../../../../core/contract.js';
import { createShowMask } from '../../../../renderer/actions/createShowMask.js';
import { initialViewerState, viewerReducer, type ViewerAction, type ViewerState } from '../../../../renderer/state/viewerState.js';

/** Time point `t` of one 2×2×2 series. */
const timePoint = (t: number) =>
  ({
    header: {
      volumeId: `v${t}`,
      dimensions: [2, 2, 2],
      spacing: [1, 1, 1],
      origin: [0, 0, 0],
      direction: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      timePoint: t,
    },
    voxels: new Int16Array(8),
    source: { scanId: 's1', seriesIndex: 0 },
  }) as unknown as NonNullable<ViewerState['volume']>;

const header: MaskHeader = {
  maskId: 'r1',
  volumeId: 'v0',
  name: 'model segmentation',
  warnings: [],
  unsavedEdits: 0,
  layers: [{ dataType: 'uint8', dataUrl: `data:application/octet-stream;base64,${Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]).toString('base64')}` }],
  segments: [],
};

describe('createShowMask', () => {
  it('replaces nothing when the time point changes while the labels are fetched: the segmentation shown keeps its session', async () => {
    const state = { current: { ...initialViewerState, volume: timePoint(0) } as ViewerState };
    const dispatched: string[] = [];
    const dispatch = (action: ViewerAction): void => {
      dispatched.push(action.type);
      state.current = viewerReducer(state.current, action);
    };
    let stopped = 0;
    const slot = { current: () => void stopped++ };
    const show = createShowMask({ dispatch, state }, slot);
    const fetchBefore = globalThis.fetch;
    globalThis.fetch = (async (...args: Parameters<typeof fetch>) => {
      const response = await fetchBefore(...args);
      // Cine, or the user, steps to time point 1 meanwhile.
      dispatch({ type: 'timePointLoaded', volume: timePoint(1) });
      return response;
    }) as typeof fetch;
    try {
      expect(await show({} as AxialApi, header, 'Segmented')).toBeNull();
    } finally {
      globalThis.fetch = fetchBefore;
    }
    // Before, the shown segmentation's session was stopped (its edits no longer reached main) and the result dropped.
    expect(stopped).toBe(0);
    expect(dispatched).toEqual(['timePointLoaded']);
    // Shown on the time point now on screen, it replaces the session.
    expect(await show({} as AxialApi, { ...header, volumeId: 'v1' }, 'Segmented')).not.toBeNull();
    expect(stopped).toBe(1);
    expect(state.current.segmentation?.maskId).toBe('r1');
  });
});
