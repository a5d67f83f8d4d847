import { describe, expect, it } from 'vitest';
import { planeAxes } from '../../../../renderer/geometry/planeAxes.js';
import { identityRotation, rotateAbout } from '../../../../renderer/geometry/rotateAbout.js';
import { viewNames } from '../../../../renderer/geometry/types.js';
import { standardFrame, viewFrame } from '../../../../renderer/geometry/viewFrame.js';
import type { Vec3, VolumeGeometry } from '../../../../core/geometry/types.js';

const degrees = Math.PI / 180;
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const close = (a: readonly number[], b: readonly number[]): void => a.forEach((v, n) => expect(v).toBeCloseTo(b[n]!, 12));

/** A plain LPS axial grid. */
const plain: VolumeGeometry = {
  dimensions: [64, 64, 20],
  spacing: [0.8, 0.8, 2],
  origin: [0, 0, 0],
  direction: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
};

/**
 * A grid sheared in its axial plane, as audit B's shear.nii.gz (an MR whose rows lean 18.5° towards superior while
 * its slices step straight up): j runs along (0, cos a, sin a), k along z.
 */
const lean = 18.5 * degrees;
const sheared: VolumeGeometry = {
  dimensions: [306, 422, 54],
  spacing: [0.48, 0.48, 2.37],
  origin: [0, 0, 0],
  direction: [
    [1, 0, 0],
    [0, Math.cos(lean), Math.sin(lean)],
    [0, 0, 1],
  ],
};

describe('standardFrame and viewFrame', () => {
  it('give a plain grid’s axes as its standard frames (axial forward superior, coronal anterior, sagittal left)', () => {
    const expected = {
      axial: { right: [1, 0, 0], down: [0, 1, 0], normal: [0, 0, 1] },
      coronal: { right: [1, 0, 0], down: [0, 0, -1], normal: [0, -1, 0] },
      sagittal: { right: [0, 1, 0], down: [0, 0, -1], normal: [1, 0, 0] },
    };
    for (const view of viewNames) {
      const frame = standardFrame(plain, planeAxes(plain, view));
      close(frame.right, expected[view].right);
      close(frame.down, expected[view].down);
      close(frame.normal, expected[view].normal);
      const unturned = viewFrame(plain, planeAxes(plain, view), identityRotation);
      close([...unturned.right, ...unturned.down, ...unturned.normal], [...frame.right, ...frame.down, ...frame.normal]);
    }
  });

  it('on a sheared grid, take the normal perpendicular to the plane’s two index axes, not the slice axis', () => {
    const axial = standardFrame(sheared, planeAxes(sheared, 'axial'));
    // Perpendicular to i = x and to j = (0, cos a, sin a), pointing towards superior: (0, −sin a, cos a), 18.5° off k.
    close(axial.normal, [0, -Math.sin(lean), Math.cos(lean)]);
    expect(Math.acos(dot(axial.normal, sheared.direction[2])) / degrees).toBeCloseTo(18.5, 9);
    close(axial.down, sheared.direction[1]);
    close(axial.right, [1, 0, 0]);
    // The sagittal (j, k) plane: j and k are 71.5° apart, so screen right is the in-plane direction perpendicular to down (−k).
    const sagittal = standardFrame(sheared, planeAxes(sheared, 'sagittal'));
    close(sagittal.normal, [1, 0, 0]);
    close(sagittal.down, [0, 0, -1]);
    close(sagittal.right, [0, 1, 0]);
    expect(dot(sagittal.right, sheared.direction[1])).toBeCloseTo(Math.cos(lean), 12);
    for (const view of viewNames) {
      const { right, down, normal } = standardFrame(sheared, planeAxes(sheared, view));
      expect([dot(right, down), dot(down, normal), dot(normal, right)].every((v) => Math.abs(v) < 1e-12)).toBe(true);
    }
  });

  it('turn the sheared axial frame about its own normal without moving it (the other frames turn about it)', () => {
    const axes = planeAxes(sheared, 'axial');
    const standard = standardFrame(sheared, axes);
    const rotation = rotateAbout(identityRotation, standard.normal, 25 * degrees);
    const turned = viewFrame(sheared, axes, rotation);
    close(turned.normal, standard.normal);
    close(turned.down, standard.down);
    const coronalAxes = planeAxes(sheared, 'coronal');
    // The coronal normal is not perpendicular to the axial one on this grid: it keeps its angle to the axis and turns 25° about it.
    const before = standardFrame(sheared, coronalAxes).normal;
    const after = viewFrame(sheared, coronalAxes, rotation).normal;
    expect(dot(after, standard.normal)).toBeCloseTo(dot(before, standard.normal), 12);
    const across = (v: Vec3): Vec3 => {
      const along = dot(v, standard.normal);
      return [v[0] - along * standard.normal[0], v[1] - along * standard.normal[1], v[2] - along * standard.normal[2]];
    };
    const [a, b] = [across(before), across(after)];
    expect(Math.acos(dot(a, b) / Math.hypot(...a) / Math.hypot(...b)) / degrees).toBeCloseTo(25, 9);
  });
});
