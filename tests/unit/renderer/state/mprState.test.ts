import { describe, expect, it } from 'vitest';
import { ctTestVolume } from '../ctTestVolume.js';
import { isIdentityRotation } from '../../../../renderer/geometry/rotateAbout.js';
import type { Vec3 } from '../../../../core/geometry/types.js';
import { crosshairPoint, maxSlabMm } from '../../../../renderer/state/mprState.js';
import { initialViewerState, viewerReducer, type ViewerState } from '../../../../renderer/state/viewerState.js';

const volume = ctTestVolume([10, 12, 8], [1, 1, 2]);
const loaded = (): ViewerState => viewerReducer(initialViewerState, { type: 'volumeLoaded', volume, voi: { center: 40, width: 400 } });
const close = (v: Vec3, w: readonly number[]): boolean => v.every((x, a) => Math.abs(x - w[a]!) < 1e-12);

describe('the MPR part of viewerReducer', () => {
  it('turns the crosshair clockwise on screen: 30° in the axial view takes patient-left towards posterior', () => {
    const s = viewerReducer(loaded(), { type: 'mprRotate', view: 'axial', angle: Math.PI / 6 });
    const r = s.mpr.rotation;
    // R · (+x) = (cos 30°, sin 30°, 0): screen right (L) turned towards screen down (P); +z (the axial normal) stays.
    expect(close([r[0][0], r[1][0], r[2][0]], [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6), 0])).toBe(true);
    expect(close([r[0][2], r[1][2], r[2][2]], [0, 0, 1])).toBe(true);
    // And back again to the identity.
    const back = viewerReducer(s, { type: 'mprRotate', view: 'axial', angle: -Math.PI / 6 });
    expect(isIdentityRotation(back.mpr.rotation)).toBe(true);
  });

  it('turns in the coronal view about the coronal normal (the y axis)', () => {
    const s = viewerReducer(loaded(), { type: 'mprRotate', view: 'coronal', angle: 0.3 });
    const r = s.mpr.rotation;
    expect(close([r[0][1], r[1][1], r[2][1]], [0, 1, 0])).toBe(true);
    expect(Math.abs(r[0][0] - Math.cos(0.3))).toBeLessThan(1e-12);
  });

  it('keeps a continuous crosshair point, its voxel the cursor, clamped to the volume', () => {
    let s = viewerReducer(loaded(), { type: 'mprPoint', index: [3.4, 11.7, -2] });
    expect(s.mpr.point).toEqual([3.4, 11, 0]);
    expect(s.cursor).toEqual([3, 11, 0]);
    expect(crosshairPoint(s.mpr, s.cursor)).toEqual([3.4, 11, 0]);
    // Something else moves the cursor: the planes follow the cursor's voxel.
    s = viewerReducer(s, { type: 'cursor', index: [5, 5, 5] });
    expect(crosshairPoint(s.mpr, s.cursor)).toEqual([5, 5, 5]);
  });

  it('resets to the standard planes through the cursor; slabs clamp to 0…500 mm; a new volume starts afresh', () => {
    let s = viewerReducer(loaded(), { type: 'mprRotate', view: 'sagittal', angle: 1 });
    s = viewerReducer(s, { type: 'mprPoint', index: [2.5, 3.5, 4.2] });
    s = viewerReducer(s, { type: 'mprReset' });
    expect(isIdentityRotation(s.mpr.rotation)).toBe(true);
    expect(s.mpr.point).toEqual(s.cursor);
    s = viewerReducer(s, { type: 'mprSlab', view: 'coronal', slab: { mode: 'mean', thicknessMm: 1e6 } });
    expect(s.mpr.slabs.coronal).toEqual({ mode: 'mean', thicknessMm: maxSlabMm });
    expect(viewerReducer(s, { type: 'mprSlab', view: 'coronal', slab: { thicknessMm: -5 } }).mpr.slabs.coronal.thicknessMm).toBe(0);
    expect(s.mpr.slabs.axial.thicknessMm).toBe(0);
    s = viewerReducer(s, { type: 'mprRotate', view: 'axial', angle: 1 });
    const again = viewerReducer(s, { type: 'volumeLoaded', volume, voi: { center: 0, width: 1 } });
    expect(isIdentityRotation(again.mpr.rotation)).toBe(true);
    expect(again.mpr.slabs.coronal.thicknessMm).toBe(0);
  });
});
