import { describe, expect, it } from 'vitest';
import { initialViewerState, viewerReducer } from '../../../../renderer/state/viewerState.js';

describe('viewerReducer and the 3D view', () => {
  it("starts on 2×2 (the three 2D views and the 3D view, 'four') with no 3D tile active, and takes 1×3 ('three')", () => {
    expect(initialViewerState.active3d).toBe(false);
    expect(initialViewerState.layout).toBe('four');
    expect(viewerReducer(initialViewerState, { type: 'layout', layout: 'three' }).layout).toBe('three');
  });

  it('makes the 3D tile active, keeping the last 2D view, and gives activity back to a 2D view when one is chosen (even the same one)', () => {
    const coronal = viewerReducer(initialViewerState, { type: 'activeView', view: 'coronal' });
    const threeD = viewerReducer(coronal, { type: 'active3d' });
    expect(threeD.active3d).toBe(true);
    expect(threeD.activeView).toBe('coronal');
    expect(viewerReducer(threeD, { type: 'active3d' })).toBe(threeD);
    const back = viewerReducer(threeD, { type: 'activeView', view: 'coronal' });
    expect(back.active3d).toBe(false);
    expect(back.activeView).toBe('coronal');
    expect(viewerReducer(back, { type: 'activeView', view: 'coronal' })).toBe(back);
  });

  it("brings the 3D view in (four views) when it is chosen while only the 2D views show, and drops it as the active one on 'three'", () => {
    const rowOfThree = viewerReducer(initialViewerState, { type: 'layout', layout: 'three' });
    const chosen = viewerReducer(rowOfThree, { type: 'active3d' });
    expect([chosen.layout, chosen.active3d]).toEqual(['four', true]);
    const alone = viewerReducer(viewerReducer(initialViewerState, { type: 'layout', layout: 'one' }), { type: 'active3d' });
    expect([alone.layout, alone.active3d]).toEqual(['one', true]);
    const three = viewerReducer(chosen, { type: 'layout', layout: 'three' });
    expect([three.layout, three.active3d]).toEqual(['three', false]);
  });
});
