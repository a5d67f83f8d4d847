import { describe, expect, it } from 'vitest';
import type { Mat3, Vec3 } from '../../../../../core/geometry/types.js';
import { planeAxes } from '../../../../../renderer/geometry/planeAxes.js';
import { viewPlaneOf } from '../../../../../renderer/geometry/ViewPlane.js';
import { sliceLocation } from '../../../../../renderer/views/overlays/sliceLocation.js';

/** A 512 × 512 × 20 axial CT stored LPS, as ct-abdomen-j2k is: origin (−249.5, −415.5, −310), 0.977 × 0.977 × 3 mm. */
const ct = {
  dimensions: [512, 512, 20] as Vec3,
  spacing: [0.9765625, 0.9765625, 3] as Vec3,
  origin: [-249.5, -415.5, -310] as Vec3,
  direction: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ] as Mat3,
};

describe('sliceLocation', () => {
  it('is the slice z for axial, −y (anterior) for coronal and x (left) for sagittal', () => {
    expect(sliceLocation(ct, viewPlaneOf(planeAxes(ct, 'axial'), 7))).toBeCloseTo(-310 + 7 * 3, 9);
    expect(sliceLocation(ct, viewPlaneOf(planeAxes(ct, 'coronal'), 100))).toBeCloseTo(-(-415.5 + 100 * 0.9765625), 9);
    expect(sliceLocation(ct, viewPlaneOf(planeAxes(ct, 'sagittal'), 300))).toBeCloseTo(-249.5 + 300 * 0.9765625, 9);
  });

  it('is the same for a volume stored feet-first and flipped (k towards inferior): the view goes by the patient', () => {
    const flipped = { ...ct, origin: [-249.5, -415.5, -310 + 19 * 3] as Vec3, direction: [ct.direction[0], ct.direction[1], [0, 0, -1]] as Mat3 };
    // Flipped slice k holds what ct's slice 19 − k holds.
    expect(sliceLocation(flipped, viewPlaneOf(planeAxes(flipped, 'axial'), 12))).toBeCloseTo(-310 + 7 * 3, 9);
  });

  it('goes along the true normal of a gantry-tilted (sheared) volume', () => {
    // Slices 3 mm apart along z, each shifted 1 mm in y: the k axis is not perpendicular to the slices.
    const length = Math.hypot(1, 3);
    const tilted = {
      ...ct,
      spacing: [ct.spacing[0], ct.spacing[1], length] as Vec3,
      direction: [ct.direction[0], ct.direction[1], [0, 1 / length, 3 / length]] as Mat3,
    };
    expect(sliceLocation(tilted, viewPlaneOf(planeAxes(tilted, 'axial'), 5))).toBeCloseTo(-310 + 5 * 3, 9);
  });
});
