import { beforeAll, describe, expect, it } from 'vitest';
import type { Measurement, MeasurementPlane } from '../../../../core/contract.js';
import { scanInput } from '../../../../main/input/scanInput.js';
import type { Volume } from '../../../../main/volume/Volume.js';
import { planeAxes } from '../../../../renderer/geometry/planeAxes.js';
import type { Vec3 } from '../../../../core/geometry/types.js';
import { viewPlaneOf } from '../../../../renderer/geometry/ViewPlane.js';
import { identityRotation, rotateAbout } from '../../../../renderer/geometry/rotateAbout.js';
import { measureGesture, type Draft, type MeasurePointer } from '../../../../renderer/measurements/measureGesture.js';
import { measurementPlaneOf, worldOnPlane } from '../../../../renderer/measurements/measurementPlane.js';
import { measureShape, remeasureAll } from '../../../../renderer/measurements/measureShape.js';
import { roiStatistics, roiVoxels } from '../../../../renderer/measurements/roiStatistics.js';
import { numpyRoiStats as numpyStats, type NumpyRoi } from '../../../numpyRoiStats.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../../sharedData.js';

type Shape = Pick<Measurement, 'kind' | 'points' | 'plane'>;

/** Draws a shape in the axial view with the real gesture: press at `from`, drag through `through`, release at the last. */
function draw(kind: MeasurePointer['kind'], plane: MeasurementPlane, path: readonly (readonly [number, number])[]): Shape {
  let draft: Draft | null = null;
  const at = ([column, row]: readonly [number, number]) => ({ column, row });
  const step = (phase: MeasurePointer['phase'], p: readonly [number, number]) =>
    measureGesture(draft, { phase, kind, view: 'axial', plane, at: at(p), minStep: 0.5 });
  draft = step('down', path[0]!).draft;
  for (const p of path.slice(1, -1)) draft = step('move', p).draft;
  const { done } = step('up', path[path.length - 1]!);
  if (!done) throw new Error(`the ${kind} gesture drew nothing`);
  return done;
}

describe.skipIf(!hasSharedData)(`ROI statistics on ct-abdomen-j2k equal numpy's on the same mask (${noSharedDataReason})`, () => {
  let ct: Volume;
  let axial: MeasurementPlane;

  beforeAll(async () => {
    const scan = await scanInput(sharedData('dicom/ct-abdomen-j2k'));
    ct = (await scan.series[0]!.load()).volume;
    axial = measurementPlaneOf(ct, viewPlaneOf(planeAxes(ct, 'axial'), 11));
  });

  const expectSame = (shape: Shape, expected: NumpyRoi): void => {
    const stats = roiStatistics(ct, ct.voxels, shape);
    expect(Array.from(roiVoxels(ct, shape))).toEqual(expected.indices);
    expect(stats.voxels).toBe(expected.voxels);
    expect(stats.mean!).toBeCloseTo(expected.mean, 9);
    expect(stats.sd!).toBeCloseTo(expected.sd, 9);
    expect([stats.min, stats.max]).toEqual([expected.min, expected.max]);
  };

  it('an ellipse dragged corner to corner on axial slice 11: same voxels, count, mean, SD, min, max; area π·a·b', () => {
    const shape = draw('ellipse', axial, [
      [220.3, 201.7],
      [250, 230],
      [301.9, 252.45],
    ]);
    const expected = numpyStats(shape);
    expect(expected.voxels).toBeGreaterThan(3000);
    expectSame(shape, expected);
    const [a, b] = [((301.9 - 220.3) / 2) * ct.spacing[0], ((252.45 - 201.7) / 2) * ct.spacing[1]];
    expect(measureShape(shape, { geometry: ct, voxels: ct.voxels }).areaMm2).toBeCloseTo(Math.PI * a * b, 9);
  });

  it('a non-convex freehand outline on axial slice 11: same voxels and statistics; shoelace area in mm²', () => {
    const outline = [
      [180.2, 300.4],
      [230.7, 270.1],
      [262.3, 310.9],
      [300.6, 280.3],
      [320.1, 350.2],
      [255.5, 333.3],
      [205.4, 371.8],
      [190.9, 340.6],
    ] as const;
    const shape = draw('freehand', axial, outline);
    expect(shape.points.length).toBe(outline.length);
    expectSame(shape, numpyStats(shape));
    let twice = 0;
    for (let n = 0; n < outline.length; n++) {
      const [x0, y0] = outline[n]!;
      const [x1, y1] = outline[(n + 1) % outline.length]!;
      twice += x0 * y1 - x1 * y0;
    }
    const area = measureShape(shape, { geometry: ct, voxels: ct.voxels }).areaMm2!;
    expect(area).toBeCloseTo((Math.abs(twice) / 2) * ct.spacing[0] * ct.spacing[1], 9);
  });

  it('an ellipse on a plane tilted 25° about the patient left-right axis: voxels within ±½ normal step, projected inside', () => {
    const t = (25 * Math.PI) / 180;
    const centre: Vec3 = [ct.origin[0] + 250 * ct.spacing[0], ct.origin[1] + 260 * ct.spacing[1], ct.origin[2] + 9.5 * ct.spacing[2]];
    const tilted: MeasurementPlane = {
      origin: [...centre],
      column: [0.8, 0, 0],
      row: [0, 0.8 * Math.cos(t), 0.8 * Math.sin(t)],
      normal: [0, -1.5 * Math.sin(t), 1.5 * Math.cos(t)],
    };
    const shape: Shape = {
      kind: 'ellipse',
      plane: tilted,
      points: [worldOnPlane(tilted, 3.3, -2.1), worldOnPlane(tilted, 55.47, -2.1), worldOnPlane(tilted, 3.3, 21.9)],
    };
    const expected = numpyStats(shape);
    expect(expected.voxels).toBeGreaterThan(1000);
    expectSame(shape, expected);
  });
});

describe('ROI statistics refuse a plane no view of the volume has', () => {
  const geometry = {
    dimensions: [64, 64, 20] as Vec3,
    spacing: [0.8, 0.8, 2] as Vec3,
    origin: [0, 0, 0] as Vec3,
    direction: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ] as [Vec3, Vec3, Vec3],
  };
  const voxels = new Int16Array(64 * 64 * 20).fill(5);
  const ellipseOn = (normal: Vec3): Measurement => ({
    id: 'e',
    name: 'E',
    kind: 'ellipse',
    view: 'axial',
    plane: { origin: [0, 0, 20], column: [0.8, 0, 0], row: [0, 0.8, 0], normal: [...normal] },
    points: [
      [25, 25, 20],
      [1e4, 25, 20],
      [25, 1e4, 20],
    ],
    values: {},
  });

  it('measures one slice of a whole-slice ellipse, and drops one whose normal step spans the volume (a hand-edited file)', () => {
    const { items, dropped } = remeasureAll([ellipseOn([0, 0, 2]), { ...ellipseOn([0, 0, 100]), name: 'Slab' }], { geometry, voxels });
    expect(items.map((m) => m.values.stats)).toEqual([{ voxels: 64 * 64, mean: 5, sd: 0, min: 5, max: 5 }]);
    expect(dropped).toEqual(['Slab']);
  });
});

describe('ROI voxels whose centres lie exactly on the outline', () => {
  it('fall the same side however the voxels are walked: sums in i, j, k order (a turned walk made this ellipse 33 voxels)', () => {
    const direction = rotateAbout(identityRotation, [1, 2, 3], (5 * Math.PI) / 180);
    const geometry = { dimensions: [64, 64, 30] as Vec3, spacing: [0.9, 0.9, 4] as Vec3, origin: [-28.8, -28.8, -60] as Vec3, direction };
    const plane = measurementPlaneOf(geometry, viewPlaneOf(planeAxes(geometry, 'coronal'), 32));
    const shape: Shape = { kind: 'ellipse', plane, points: [worldOnPlane(plane, 36, 15), worldOnPlane(plane, 40, 15), worldOnPlane(plane, 36, 18)] };
    expect(roiVoxels(geometry, shape)).toHaveLength(32);
  });
});
