import { describe, expect, it } from 'vitest';
import { ioOrientation } from '../../../../core/geometry/ioOrientation.js';
import { orientationMapping } from '../../../../main/segmentation/pipeline/orientationMapping.js';
import { rasAffineToGeometry } from '../../../../main/volume/volumeTransforms.js';
import { runPythonJson } from '../../../python.js';

interface NibabelCase {
  /** The voxel-to-RAS affine's 3×3 part. */
  readonly rzs: number[][];
  /** nibabel's io_orientation: [world axis, sign] per index axis. */
  readonly ornt: [number, number][];
  /** Per axcodes: MONAI's Orientation as ornt_transform(io_orientation, axcodes2ornt(axcodes)) gives it. */
  readonly transforms: Record<string, [number, number][]>;
}

const axcodesTried = ['RAS', 'LPI', 'SPR'];

/**
 * 200 seeded affines: a rotation of up to 90° about each axis, a permutation with flips, anisotropic voxels and, in
 * half of them, a shear of up to 0.25 — with nibabel's answers for each.
 */
const script = `
import json, numpy as np, nibabel as nib
from nibabel.orientations import io_orientation, ornt_transform, axcodes2ornt
from scipy.spatial.transform import Rotation
rng = np.random.default_rng(20240607)
cases = []
for n in range(200):
    R = Rotation.from_euler('xyz', rng.uniform(-90, 90, 3), degrees=True).as_matrix()
    P = np.eye(3)[:, rng.permutation(3)] * rng.choice([-1.0, 1.0], 3)
    S = np.eye(3)
    if n % 2:
        S[np.triu_indices(3, 1)] = rng.uniform(-0.25, 0.25, 3)
    rzs = R @ P @ S @ np.diag(rng.uniform(0.4, 3.0, 3))
    A = np.eye(4); A[:3, :3] = rzs
    o = io_orientation(A)
    tr = {c: ornt_transform(o, axcodes2ornt(c)).astype(int).tolist() for c in ${JSON.stringify(axcodesTried)}}
    cases.append({'rzs': rzs.tolist(), 'ornt': o.astype(int).tolist(), 'transforms': tr})
print(json.dumps(cases))
`;

const cases = runPythonJson<NibabelCase[]>(script);

/** The LPS direction Axial reads from a RAS affine (as readNifti does). */
function directionOf(rzs: number[][]): ReturnType<typeof rasAffineToGeometry>['direction'] {
  return rasAffineToGeometry([
    [...rzs[0]!, 0],
    [...rzs[1]!, 0],
    [...rzs[2]!, 0],
    [0, 0, 0, 1],
  ]).direction;
}

describe('ioOrientation against nibabel', () => {
  it('labels every index axis as nibabel.io_orientation does on 200 rotated, flipped, anisotropic and sheared affines', () => {
    const differing = cases.filter(({ rzs, ornt }) => {
      // In LPS, world x and y are RAS's negated.
      const want = ornt.map(([w, sign]) => ({ worldAxis: w, sign: w < 2 ? -sign : sign }));
      return JSON.stringify(ioOrientation(directionOf(rzs))) !== JSON.stringify(want);
    });
    expect(differing.map((c) => c.rzs)).toEqual([]);
  });
});

describe('orientationMapping against MONAI (ornt_transform of io_orientation)', () => {
  for (const axcodes of axcodesTried) {
    it(`permutes and flips as MONAI's Orientationd(axcodes="${axcodes}") on 200 affines`, () => {
      const dimensions = [7, 11, 13] as const;
      const differing = cases.filter(({ rzs, transforms }) => {
        const transform = transforms[axcodes]!;
        const mapping = orientationMapping(dimensions, directionOf(rzs), axcodes);
        // ornt_transform's row a: source axis a goes to oriented axis transform[a][0], flipped when transform[a][1] is −1.
        const sourceAxis = [0, 1, 2].map((b) => transform.findIndex(([to]) => to === b));
        const flip = sourceAxis.map((a) => transform[a]![1] === -1);
        return JSON.stringify({ sourceAxis: mapping.sourceAxis, flip: mapping.flip }) !== JSON.stringify({ sourceAxis, flip });
      });
      expect(differing.length).toBe(0);
    });
  }
});
