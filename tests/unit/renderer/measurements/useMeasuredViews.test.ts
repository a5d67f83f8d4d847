import { describe, expect, it } from 'vitest';
import type { Vec3, VolumeGeometry } from '../../../../core/geometry/types.js';
import { obliquePlanes } from '../../../../renderer/geometry/obliquePlanes.js';
import { planeAxes } from '../../../../renderer/geometry/planeAxes.js';
import { identityRotation, rotateAbout } from '../../../../renderer/geometry/rotateAbout.js';
import { viewNames, type ViewName } from '../../../../renderer/geometry/types.js';
import { measuredViewsOf } from '../../../../renderer/measurements/useMeasuredViews.js';
import type { SlabSettings } from '../../../../renderer/state/mprState.js';

/** The CT series' grid (0.977 × 0.977 × 2 mm, LPS). */
const ct: VolumeGeometry = {
  dimensions: [512, 512, 20],
  spacing: [0.9765625, 0.9765625, 2],
  origin: [0, 0, 0],
  direction: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
};
const axes = { axial: planeAxes(ct, 'axial'), coronal: planeAxes(ct, 'coronal'), sagittal: planeAxes(ct, 'sagittal') };
const thin: SlabSettings = { mode: 'mip', thicknessMm: 0 };

/** Each view's plane, standard flag and slab, as useMprViews hands them to the views. */
function viewsOf(rotation = identityRotation, slabs: Partial<Record<ViewName, SlabSettings>> = {}) {
  const planes = obliquePlanes({ geometry: ct, axes, rotation, point: [255.4, 255.3, 9.2], cursor: [255, 255, 9] });
  const of = (view: ViewName) => ({ plane: planes[view].plane, standard: planes[view].standard, slab: slabs[view] ?? thin });
  return { axial: of('axial'), coronal: of('coronal'), sagittal: of('sagittal') };
}

describe('measuredViewsOf', () => {
  it('names the views by their standard flag: after Turn 90° on the axial the coronal is not standard, though it steps along index axes', () => {
    const turned = viewsOf(rotateAbout(identityRotation, [0, 0, 1], Math.PI / 2));
    const { plane } = turned.coronal;
    // The plane steps along j and k, whole voxels, but cuts at i = 255.4, between voxels: the old "axis-aligned" test called it "coronal".
    const single = (v: Vec3): boolean => v.filter((x) => Math.abs(x) > 1e-9).length === 1;
    expect([single(plane.columnStep), single(plane.rowStep), single(plane.normalStep)]).toEqual([true, true, true]);
    expect(plane.origin[0]).toBeCloseTo(255.4, 9);
    expect(measuredViewsOf(turned, viewNames).standardViews).toEqual(['axial']);
    expect(measuredViewsOf(viewsOf(), viewNames).standardViews).toEqual(['axial', 'coronal', 'sagittal']);
  });

  it('gives the planes shown as a slab, only in views the layout shows', () => {
    const views = viewsOf(identityRotation, { axial: { mode: 'mip', thicknessMm: 6 }, sagittal: { mode: 'mean', thicknessMm: 0.5 } });
    // The sagittal's 0.5 mm is one sample of 0.977 mm: no slab.
    expect(measuredViewsOf(views, viewNames).slabPlanes).toEqual([views.axial.plane]);
    // A layout of one view, the coronal: the axial's slab is not on screen.
    expect(measuredViewsOf(views, ['coronal']).slabPlanes).toEqual([]);
    expect(measuredViewsOf(views, ['axial']).slabPlanes).toEqual([views.axial.plane]);
  });
});
