import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeasurementPlane } from '../../../../core/contract.js';
import { readNifti } from '../../../../main/nifti/readNifti.js';
import type { Volume } from '../../../../main/volume/Volume.js';
import { planeAxes } from '../../../../renderer/geometry/planeAxes.js';
import { viewNames, type ViewName } from '../../../../renderer/geometry/types.js';
import { type Vec3 } from '../../../../core/geometry/types.js';
import { pixelToIndex, viewPlaneOf, type ViewPlane } from '../../../../renderer/geometry/ViewPlane.js';
import { measureGesture, type Draft, type DrawnShape, type MeasurePointer } from '../../../../renderer/measurements/measureGesture.js';
import { measurementPlaneOf } from '../../../../renderer/measurements/measurementPlane.js';
import { geometricValues } from '../../../../renderer/measurements/measurementValues.js';
import { runPythonJson } from '../../../python.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../../sharedData.js';

type Pixel = readonly [number, number];

/** What nibabel says: the world (RAS) positions of continuous voxel indices through the file's affine, and the values from them. */
interface NibabelValues {
  readonly lengths: number[];
  readonly angles: number[];
  /** π·|u × v| for ellipses, the vector area ½·|Σ pₙ × pₙ₊₁| for polygons. */
  readonly areas: number[];
}

const nibabelValues = `
import json, sys
import numpy as np, nibabel as nib
affine = nib.load(sys.argv[1]).affine
cases = json.loads(sys.argv[2])
world = lambda idx: (affine @ np.append(np.array(idx, dtype=float), 1.0))[:3]
out = {'lengths': [], 'angles': [], 'areas': []}
for a, b in cases['lines']:
    out['lengths'].append(float(np.linalg.norm(world(b) - world(a))))
for a, v, c in cases['angles']:
    u, w = world(a) - world(v), world(c) - world(v)
    out['angles'].append(float(np.degrees(np.arccos(np.dot(u, w) / np.linalg.norm(u) / np.linalg.norm(w)))))
for kind, pts in cases['areas']:
    p = [world(q) for q in pts]
    if kind == 'ellipse':
        out['areas'].append(float(np.pi * np.linalg.norm(np.cross(p[1] - p[0], p[2] - p[0]))))
    else:
        out['areas'].append(float(0.5 * np.linalg.norm(sum(np.cross(p[n], p[(n + 1) % len(p)]) for n in range(len(p))))))
print(json.dumps(out))
`;

/** A sheared, rotated, anisotropic grid (0.7 × 1.3 × 3.1 mm, 20° about an oblique axis, 0.15 shear), written by nibabel. */
const makeShearedNifti = `
import sys
import numpy as np, nibabel as nib
t = np.radians(20)
axis = np.array([0.3, 0.5, 0.81]); axis /= np.linalg.norm(axis)
K = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
R = np.eye(3) + np.sin(t) * K + (1 - np.cos(t)) * K @ K
S = np.array([[1, 0.15, 0], [0, 1, 0.1], [0, 0, 1]])
A = np.eye(4)
A[:3, :3] = R @ S @ np.diag([0.7, 1.3, 3.1])
A[:3, 3] = [-12.5, 30.25, -7.75]
data = (np.arange(40 * 30 * 12).reshape(40, 30, 12) % 251).astype(np.int16)
img = nib.Nifti1Image(data, A)
img.set_sform(A, code=1)
img.set_qform(A, code=0)
nib.save(img, sys.argv[1])
print('{}')
`;

/** Runs a gesture in `view`'s plane through screen pixels; resolves with the drawn shape. */
function draw(kind: MeasurePointer['kind'], plane: MeasurementPlane, presses: readonly (readonly Pixel[])[]): DrawnShape {
  let draft: Draft | null = null;
  let done: DrawnShape | null = null;
  for (const path of presses) {
    path.forEach(([column, row], n) => {
      const phase = n === 0 ? 'down' : n === path.length - 1 ? 'up' : 'move';
      ({ draft, done } = measureGesture(draft, { phase, kind, view: 'axial', plane, at: { column, row }, minStep: 0.5 }));
    });
  }
  if (!done) throw new Error(`the ${kind} gesture drew nothing`);
  return done;
}

/** Continuous voxel indices of screen pixels, as the view maps them: what nibabel's affine is applied to. */
const indicesOf = (plane: ViewPlane, pixels: readonly Pixel[]): Vec3[] => pixels.map(([column, row]) => pixelToIndex(plane, row, column));

interface Case {
  readonly view: ViewName;
  readonly slice: number;
  readonly line: readonly [Pixel, Pixel];
  readonly angle: readonly [Pixel, Pixel, Pixel];
  readonly ellipse: readonly [Pixel, Pixel];
  readonly polygon: readonly Pixel[];
}

function checkAgainstNibabel(file: () => { path: string; volume: Volume }, cases: readonly Case[]): void {
  it.each(cases.map((c) => [c.view, c] as const))('%s: length, angle and areas from world points equal nibabel’s', (_view, c) => {
    const { path, volume } = file();
    const viewPlane = viewPlaneOf(planeAxes(volume, c.view), c.slice);
    const plane = measurementPlaneOf(volume, viewPlane);
    const line = geometricValues(draw('line', plane, [[c.line[0], c.line[1]]]));
    const angle = geometricValues(
      draw('angle', plane, [
        [c.angle[0], c.angle[1]],
        [c.angle[2], c.angle[2]],
      ]),
    );
    const ellipse = geometricValues(draw('ellipse', plane, [[c.ellipse[0], c.ellipse[1]]]));
    const polygon = geometricValues(draw('freehand', plane, [c.polygon]));
    const [a, b] = c.ellipse;
    const centre: Pixel = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    const ellipsePoints: Pixel[] = [centre, [centre[0] + Math.abs(b[0] - a[0]) / 2, centre[1]], [centre[0], centre[1] + Math.abs(b[1] - a[1]) / 2]];
    const expected = runPythonJson<NibabelValues>(nibabelValues, [
      path,
      JSON.stringify({
        lines: [indicesOf(viewPlane, c.line)],
        angles: [indicesOf(viewPlane, c.angle)],
        areas: [
          ['ellipse', indicesOf(viewPlane, ellipsePoints)],
          ['polygon', indicesOf(viewPlane, c.polygon)],
        ],
      }),
    ]);
    expect(line.lengthMm!).toBeCloseTo(expected.lengths[0]!, 9);
    expect(angle.angleDeg!).toBeCloseTo(expected.angles[0]!, 9);
    expect(ellipse.areaMm2!).toBeCloseTo(expected.areas[0]!, 8);
    expect(polygon.areaMm2!).toBeCloseTo(expected.areas[1]!, 8);
  });
}

describe.skipIf(!hasSharedData)(`distances, angles and areas on FLAIR.nii.gz, 19° oblique (${noSharedDataReason})`, () => {
  const path = sharedData('nifti/niivue/FLAIR.nii.gz');
  let volume: Volume;
  beforeAll(async () => {
    volume = (await readNifti(path)).volume;
  });
  checkAgainstNibabel(
    () => ({ path, volume }),
    [
      {
        view: 'axial',
        slice: 70,
        line: [
          [10.25, 20.5],
          [100.75, 130.125],
        ],
        angle: [
          [20, 30],
          [60.5, 70.25],
          [110, 40],
        ],
        ellipse: [
          [30.5, 40.25],
          [90.75, 70.5],
        ],
        polygon: [
          [20, 20],
          [80.5, 25],
          [95, 90.25],
          [40, 110],
          [55, 60],
        ],
      },
      {
        view: 'coronal',
        slice: 80,
        line: [
          [5.5, 7.25],
          [110.5, 120.75],
        ],
        angle: [
          [10, 100],
          [60, 60],
          [100, 100],
        ],
        ellipse: [
          [20, 30],
          [70.5, 100.25],
        ],
        polygon: [
          [10, 10],
          [100, 15],
          [90, 120],
          [15, 100],
        ],
      },
      {
        view: 'sagittal',
        slice: 60,
        line: [
          [3.5, 4.5],
          [150.25, 130],
        ],
        angle: [
          [20, 20],
          [80, 80],
          [140, 30],
        ],
        ellipse: [
          [40.5, 30.5],
          [120, 90],
        ],
        polygon: [
          [10, 10],
          [140, 20],
          [120, 120],
          [30, 110],
        ],
      },
    ],
  );
});

describe('distances, angles and areas on a sheared, rotated, anisotropic NIfTI written by nibabel', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'axial-measure-'));
  const path = join(scratch, 'sheared.nii.gz');
  let volume: Volume;
  beforeAll(async () => {
    runPythonJson(makeShearedNifti, [path]);
    volume = (await readNifti(path)).volume;
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('keeps the shear and the anisotropic spacing (the test would be weak without them)', () => {
    expect(volume.spacing.map((s) => Math.round(s * 1000) / 1000)).toEqual([0.7, 1.315, 3.115]);
    const cos =
      volume.direction[0][0] * volume.direction[1][0] + volume.direction[0][1] * volume.direction[1][1] + volume.direction[0][2] * volume.direction[1][2];
    expect(Math.abs(cos)).toBeGreaterThan(0.1);
  });

  checkAgainstNibabel(
    () => ({ path, volume }),
    viewNames.map((view, n) => ({
      view,
      slice: [5, 12, 17][n]!,
      line: [
        [1.25, 2.5],
        [20.75, 9.125],
      ],
      angle: [
        [2, 3],
        [10.5, 7.25],
        [18, 1],
      ],
      ellipse: [
        [3.5, 2.25],
        [15.75, 8.5],
      ],
      polygon: [
        [1, 1],
        [14.5, 2],
        [16, 9.25],
        [4, 10],
        [6, 5],
      ],
    })),
  );
});
