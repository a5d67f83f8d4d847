import { describe, expect, it } from 'vitest';
import type { Measurement } from '../../../../core/contract.js';
import { indexToWorld } from '../../../../core/geometry/indexToWorld.js';
import type { Vec3, VolumeGeometry } from '../../../../core/geometry/types.js';
import { planeAxes } from '../../../../renderer/geometry/planeAxes.js';
import { viewPlaneOf } from '../../../../renderer/geometry/ViewPlane.js';
import { roiScopeOf } from '../../../../renderer/measurements/roiScopeOf.js';

/** The CT series' grid (0.977 × 0.977 × 2 mm, LPS), as in the other measurement specs. */
const ct: VolumeGeometry = {
  dimensions: [512, 512, 100],
  spacing: [0.9765625, 0.9765625, 2],
  origin: [-250, -250, -100],
  direction: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
};
const axial = planeAxes(ct, 'axial');
const coronal = planeAxes(ct, 'coronal');

/** An ellipse drawn on axial slice k (centre, end of one axis, end of the other), saved under `view`. */
function ellipseOn(k: number, view: string): Pick<Measurement, 'view' | 'kind' | 'points'> {
  const at = (i: number, j: number): [number, number, number] => [...indexToWorld(ct, [i, j, k] as Vec3)] as [number, number, number];
  return { view, kind: 'ellipse', points: [at(250, 250), at(270, 250), at(250, 262)] };
}

describe('roiScopeOf', () => {
  it('is what the view shows on a standard plane with no slab shown', () => {
    expect(roiScopeOf(ellipseOn(50, 'axial'), [], ct)).toBe('shown');
    expect(roiScopeOf(ellipseOn(50, 'axial'), [viewPlaneOf(coronal, 250)], ct)).toBe('shown');
  });

  it('is the centre slice only for an ROI on the plane a view shows as a slab: not on slice 50 while the slab is at 80', () => {
    expect(roiScopeOf(ellipseOn(80, 'axial'), [viewPlaneOf(axial, 80)], ct)).toBe('centreSlice');
    // It said "centre slice" for every ROI drawn in the axial view, wherever the slab was.
    expect(roiScopeOf(ellipseOn(50, 'axial'), [viewPlaneOf(axial, 80)], ct)).toBe('shown');
    expect(roiScopeOf(ellipseOn(79, 'axial'), [viewPlaneOf(axial, 80)], ct)).toBe('shown');
  });

  it('is the voxels on the plane for an ROI drawn on a resampled plane, and the centre plane under a slab there', () => {
    expect(roiScopeOf(ellipseOn(50, 'axial oblique'), [], ct)).toBe('plane');
    expect(roiScopeOf(ellipseOn(50, 'axial oblique'), [viewPlaneOf(axial, 80)], ct)).toBe('plane');
    expect(roiScopeOf(ellipseOn(80, 'axial oblique'), [viewPlaneOf(axial, 80)], ct)).toBe('centrePlane');
  });
});
