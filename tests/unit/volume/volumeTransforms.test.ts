import { describe, expect, it } from 'vitest';
import { createVolume } from '../../../main/volume/Volume.js';
import { type Mat3, type Vec3 } from '../../../core/geometry/types.js';
import { orientationCode, rasAffineToGeometry, volumeToRasAffine } from '../../../main/volume/volumeTransforms.js';
import { runPythonJson } from '../../python.js';

function volumeWith(direction: Mat3, spacing: Vec3 = [0.5, 0.8, 3], origin: Vec3 = [10, -20, 30]) {
  return createVolume({
    dimensions: [4, 5, 6],
    spacing,
    origin,
    direction,
    voxels: new Uint8Array(120),
    metadata: { format: 'nifti', windowPresets: [], fileCount: 1 },
  });
}

const axial: Mat3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

describe('volumeTransforms', () => {
  it('gives the RAS affine by negating x and y rows, and splits it back', () => {
    const v = volumeWith(axial);
    expect(volumeToRasAffine(v)).toEqual([
      [-0.5, -0, -0, -10],
      [-0, -0.8, -0, 20],
      [0, 0, 3, 30],
      [0, 0, 0, 1],
    ]);
    const g = rasAffineToGeometry(volumeToRasAffine(v));
    expect(g.spacing).toEqual([0.5, 0.8, 3]);
    expect(g.origin).toEqual([10, -20, 30]);
    expect(g.direction.map((axis) => axis.map((x) => x + 0))).toEqual(axial);
  });
});

describe('orientationCode', () => {
  it('names the nearest patient direction of each axis', () => {
    expect(orientationCode(volumeWith(axial))).toBe('LPS');
    expect(
      orientationCode(
        volumeWith([
          [0, -1, 0],
          [0, 0, -1],
          [-1, 0, 0],
        ]),
      ),
    ).toBe('AIR');
    const t = (20 * Math.PI) / 180;
    expect(
      orientationCode(
        volumeWith([
          [Math.cos(t), Math.sin(t), 0],
          [-Math.sin(t), Math.cos(t), 0],
          [0, 0, 1],
        ]),
      ),
    ).toBe('LPS');
  });

  it("equals nibabel's aff2axcodes on 200 seeded random rotations up to 90°, where strongest-axis-first picking differed", () => {
    const script = `
import json, numpy as np, nibabel as nib
from scipy.spatial.transform import Rotation
rng = np.random.default_rng(7)
cases = []
for n in range(200):
    r = Rotation.from_euler('xyz', rng.uniform(-90, 90, 3), degrees=True).as_matrix()
    lps_columns = np.diag([-1, -1, 1]) @ r
    affine = np.eye(4); affine[:3, :3] = np.diag([-1, -1, 1]) @ lps_columns @ np.diag([0.5, 0.8, 3])
    cases.append({"direction": lps_columns.T.tolist(), "code": "".join(nib.aff2axcodes(affine))})
print(json.dumps(cases))`;
    const cases = runPythonJson<{ direction: Mat3; code: string }[]>(script);
    // nibabel's letters name where an axis points (an axis towards RAS −x is 'L'), as Axial's do.
    expect(cases.map((c) => orientationCode(volumeWith(c.direction)))).toEqual(cases.map((c) => c.code));
  });
});

describe('createVolume', () => {
  it('rejects a voxel count that does not match, and degenerate axes', () => {
    expect(() =>
      createVolume({
        dimensions: [2, 2, 2],
        spacing: [1, 1, 1],
        origin: [0, 0, 0],
        direction: axial,
        voxels: new Int16Array(7),
        metadata: { format: 'nifti', windowPresets: [], fileCount: 1 },
      }),
    ).toThrow(/expected 8 voxels/);
    expect(() =>
      volumeWith([
        [1, 0, 0],
        [1, 0, 0],
        [0, 0, 1],
      ]),
    ).toThrow(/degenerate/);
  });

  it('freezes its geometry', () => {
    const v = volumeWith(axial);
    expect(Object.isFrozen(v)).toBe(true);
    expect(Object.isFrozen(v.direction[0])).toBe(true);
  });
});
