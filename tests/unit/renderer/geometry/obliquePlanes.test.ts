import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNifti } from '../../../../main/nifti/readNifti.js';
import { indexToWorld } from '../../../../core/geometry/indexToWorld.js';
import { crosshairLines } from '../../../../renderer/geometry/crosshairLines.js';
import { obliquePlanes } from '../../../../renderer/geometry/obliquePlanes.js';
import { planeAxes, type PlaneAxes } from '../../../../renderer/geometry/planeAxes.js';
import { identityRotation, rotateAbout } from '../../../../renderer/geometry/rotateAbout.js';
import { indexSliceOf, indexToPixel, pixelToIndex, viewPlaneOf } from '../../../../renderer/geometry/ViewPlane.js';
import { viewNames, type ViewName } from '../../../../renderer/geometry/types.js';
import { sliceLocation } from '../../../../renderer/views/overlays/sliceLocation.js';
import { type Mat3, type Vec3, type VolumeGeometry } from '../../../../core/geometry/types.js';
import { cross } from '../../../../core/geometry/vec3.js';
import { loadFirstVolume } from '../../../e2e/support/referenceData.js';
import { writeTiltedCt, type TiltedCt } from '../../../e2e/support/writeTiltedCt.js';
import { hasSharedData, noSharedDataReason, sharedData } from '../../../sharedData.js';

/** The CT series' grid (ct-abdomen-j2k: LPS, 0.977 × 0.977 × 2 mm), written out so this spec needs no decoding. */
const ct: VolumeGeometry = {
  dimensions: [512, 512, 20],
  spacing: [0.9765625, 0.9765625, 2],
  origin: [-250, -250, -100],
  direction: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
};

const axesOf = (g: VolumeGeometry): Record<ViewName, PlaneAxes> => ({
  axial: planeAxes(g, 'axial'),
  coronal: planeAxes(g, 'coronal'),
  sagittal: planeAxes(g, 'sagittal'),
});
const degrees = Math.PI / 180;
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const worldStep = (g: VolumeGeometry, step: Vec3): Vec3 => {
  const a = indexToWorld(g, step);
  const o = indexToWorld(g, [0, 0, 0]);
  return [a[0] - o[0], a[1] - o[1], a[2] - o[2]];
};

describe('obliquePlanes', () => {
  const axes = axesOf(ct);
  const cursor: Vec3 = [300, 200, 9];

  it('gives the three standard planes through the cursor for the identity rotation', () => {
    const planes = obliquePlanes({ geometry: ct, axes, rotation: identityRotation, point: cursor, cursor });
    for (const view of viewNames) {
      expect(planes[view].standard).toBe(true);
      expect(planes[view].plane).toEqual(viewPlaneOf(axes[view], cursor[axes[view].sliceAxis]));
    }
  });

  it('turns the coronal and sagittal planes 30° about the axial normal, through the crosshair point, at the smallest spacing', () => {
    const point: Vec3 = [300.3, 200.6, 9.25];
    const rotation = rotateAbout(identityRotation, [0, 0, 1], 30 * degrees);
    const planes = obliquePlanes({ geometry: ct, axes, rotation, point, cursor });
    // The axial view keeps its plane (only its crosshair lines turn).
    expect(planes.axial.standard).toBe(true);
    expect(planes.axial.plane).toEqual(viewPlaneOf(axes.axial, 9));
    // Screen right of the coronal view: patient's left turned 30° towards posterior, so 'LP'.
    expect(planes.coronal.plane.markers).toEqual({ left: 'RA', right: 'LP', top: 'S', bottom: 'I' });
    expect(planes.sagittal.plane.markers).toEqual({ left: 'AL', right: 'PR', top: 'S', bottom: 'I' });
    for (const view of ['coronal', 'sagittal'] as const) {
      const { plane, standard, frame } = planes[view];
      expect(standard).toBe(false);
      // The crosshair point lies on the plane, inside the picture.
      const at = indexToPixel(plane, point);
      expect(Math.abs(at.offset)).toBeLessThan(1e-9);
      expect(at.row).toBeGreaterThan(0);
      expect(at.column).toBeGreaterThan(0);
      expect(at.row).toBeLessThan(plane.rows - 1);
      expect(at.column).toBeLessThan(plane.columns - 1);
      // Steps are 0.977 mm along the frame's world directions.
      for (const [step, direction] of [
        [plane.columnStep, frame.right],
        [plane.rowStep, frame.down],
        [plane.normalStep, frame.normal],
      ] as const) {
        const w = worldStep(ct, step);
        expect(Math.hypot(...w)).toBeCloseTo(0.9765625, 9);
        expect(dot(w, direction) / 0.9765625).toBeCloseTo(1, 9);
      }
      expect([plane.columnSpacing, plane.rowSpacing, plane.normalSpacing]).toEqual([0.9765625, 0.9765625, 0.9765625]);
      // Vertical planes: superior straight up, the normal 30° off the standard one, in the axial plane.
      expect(frame.down).toEqual([0, 0, -1].map((v) => expect.closeTo(v, 12) as unknown as number));
      const standardNormal = view === 'coronal' ? ([0, -1, 0] as Vec3) : ([1, 0, 0] as Vec3);
      expect(Math.acos(dot(frame.normal, standardNormal)) / degrees).toBeCloseTo(30, 9);
      expect(frame.normal[2]).toBeCloseTo(0, 12);
      // The picture covers every corner of the volume.
      for (let corner = 0; corner < 8; corner++) {
        const index: Vec3 = [corner & 1 ? 511 : 0, corner & 2 ? 511 : 0, corner & 4 ? 19 : 0];
        const p = indexToPixel(plane, index);
        expect(p.column).toBeGreaterThanOrEqual(-1e-9);
        expect(p.row).toBeGreaterThanOrEqual(-1e-9);
        expect(p.column).toBeLessThanOrEqual(plane.columns - 1 + 1e-9);
        expect(p.row).toBeLessThanOrEqual(plane.rows - 1 + 1e-9);
      }
    }
    // Coronal: 500 mm wide turned 30° → 500·(cos 30° + sin 30°) = 683 mm across; 40 mm tall (20 slices of 2 mm, out to their outer faces).
    expect(planes.coronal.plane.columns).toBe(2 * Math.ceil((500 * (Math.cos(30 * degrees) + Math.sin(30 * degrees))) / 2 / 0.9765625 - 1e-9) + 1);
    expect(planes.coronal.plane.rows).toBe(2 * Math.ceil(20 / 0.9765625 - 1e-9) + 1);
    // The two turned planes stay perpendicular to each other and to the axial plane.
    expect(dot(planes.coronal.frame.normal, planes.sagittal.frame.normal)).toBeCloseTo(0, 12);
    expect(dot(planes.coronal.frame.normal, planes.axial.frame.normal)).toBeCloseTo(0, 12);
  });

  it('keeps the planes perpendicular and through the point after turns in two views; the grid size depends on the rotation only', () => {
    let rotation: Mat3 = rotateAbout(identityRotation, [0, 0, 1], 20 * degrees);
    const coronalNormal = obliquePlanes({ geometry: ct, axes, rotation, point: cursor, cursor }).coronal.frame.normal;
    rotation = rotateAbout(rotation, coronalNormal, -15 * degrees);
    const a = obliquePlanes({ geometry: ct, axes, rotation, point: [250, 260, 10], cursor: [250, 260, 10] });
    const b = obliquePlanes({ geometry: ct, axes, rotation, point: [100.5, 300.25, 3.5], cursor: [101, 300, 4] });
    expect(a.coronal.frame.normal.map((v, n) => v - coronalNormal[n]!).every((d) => Math.abs(d) < 1e-12)).toBe(true);
    for (const [u, w] of [
      ['axial', 'coronal'],
      ['axial', 'sagittal'],
      ['coronal', 'sagittal'],
    ] as const) {
      expect(dot(b[u].frame.normal, b[w].frame.normal)).toBeCloseTo(0, 12);
    }
    for (const view of viewNames) {
      expect(b[view].standard).toBe(false);
      expect(Math.abs(indexToPixel(b[view].plane, [100.5, 300.25, 3.5]).offset)).toBeLessThan(1e-9);
      expect([b[view].plane.rows, b[view].plane.columns]).toEqual([a[view].plane.rows, a[view].plane.columns]);
      // Moving the point moves the plane along its normal only.
      const shift = indexToPixel(a[view].plane, pixelToIndex(b[view].plane, 0, 0));
      expect(shift.row).toBeCloseTo(0, 9);
      expect(shift.column).toBeCloseTo(0, 9);
    }
  });
});

describe.skipIf(!hasSharedData)(`obliquePlanes on the 19° oblique FLAIR (${noSharedDataReason})`, () => {
  it('keeps its standard (oblique index) planes at identity, and turns about its own axial normal', async () => {
    const { volume } = await readNifti(sharedData('nifti/niivue/FLAIR.nii.gz'));
    const axes = axesOf(volume);
    const cursor: Vec3 = [62, 80, 70];
    const identity = obliquePlanes({ geometry: volume, axes, rotation: identityRotation, point: cursor, cursor });
    for (const view of viewNames) expect(identity[view].standard).toBe(true);
    const normal = identity.axial.frame.normal;
    // The FLAIR's slices lean 19° from true axial.
    expect(Math.acos(normal[2]) / degrees).toBeCloseTo(18.9, 0);
    const turned = obliquePlanes({ geometry: volume, axes, rotation: rotateAbout(identityRotation, normal, 90 * degrees), point: cursor, cursor });
    expect(turned.axial.standard).toBe(true);
    // A quarter turn brings the coronal plane onto the sagittal one (its normal, patient's left, now where anterior was).
    const sagittalNormal = identity.sagittal.frame.normal;
    const coronalNormal = identity.coronal.frame.normal;
    expect(dot(turned.coronal.frame.normal, sagittalNormal)).toBeCloseTo(1, 9);
    expect(dot(turned.sagittal.frame.normal, coronalNormal)).toBeCloseTo(-1, 9);
    // The voxel grid is 1 mm (its stored direction cosines orthonormal to ~1e-8), so a resampled step is a unit step in index space.
    expect(Math.hypot(...turned.coronal.plane.columnStep)).toBeCloseTo(1, 6);
  });
});

describe.skipIf(!hasSharedData)(`obliquePlanes on the CT written gantry-tilted 15° (${noSharedDataReason})`, () => {
  const folder = mkdtempSync(join(tmpdir(), 'axial-tilted-'));
  const tilt = 15 * degrees;
  let tilted: TiltedCt;
  let geometry: VolumeGeometry;
  let axes: Record<ViewName, PlaneAxes>;
  /** Within 5e-7: the files' positions are written to 1e-6 mm, so the shear's direction is exact to ~1e-8 only. */
  const close = (a: readonly number[], b: readonly number[], digits = 6): void => a.forEach((v, n) => expect(v).toBeCloseTo(b[n]!, digits));

  beforeAll(async () => {
    tilted = writeTiltedCt(folder);
    const volume = await loadFirstVolume(folder);
    geometry = { dimensions: volume.dimensions, spacing: volume.spacing, origin: volume.origin, direction: volume.direction };
    axes = axesOf(geometry);
  }, 120_000);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('shows the stored axial and coronal slices untouched, the axial normal the slices’ own (z), not the slice axis', () => {
    // The reader keeps the shear: k steps 2 mm up and 2·tan 15° mm back, 2/cos 15° = 2.071 mm along (0, sin 15°, cos 15°).
    close(geometry.direction[2], [0, Math.sin(tilt), Math.cos(tilt)]);
    expect(geometry.spacing[2]).toBeCloseTo(2 / Math.cos(tilt), 6);
    const cursor: Vec3 = [300, 200, 9];
    const planes = obliquePlanes({ geometry, axes, rotation: identityRotation, point: cursor, cursor });
    // Their pixels are true rectangles (i ⊥ j, i ⊥ k); the sagittal's (j, k) are 75° apart: see the next case.
    for (const view of ['axial', 'coronal'] as const) {
      expect(planes[view].standard, view).toBe(true);
      expect(planes[view].plane).toEqual(viewPlaneOf(axes[view], cursor[axes[view].sliceAxis]));
    }
    // Axial: x right, y down, z forward, the stored slice (z of slice 9: its ImagePositionPatient's).
    close(planes.axial.frame.normal, [0, 0, 1], 12);
    close(planes.axial.frame.right, [1, 0, 0], 12);
    close(planes.axial.frame.down, [0, 1, 0], 12);
    expect(sliceLocation(geometry, planes.axial.plane)).toBeCloseTo(tilted.positions[9]![2], 9);
    // Coronal: the (i, k) index plane, leaning 15° with the slice axis, anterior (−y) forward.
    close(planes.coronal.frame.normal, [0, -Math.cos(tilt), Math.sin(tilt)]);
    close(planes.coronal.frame.down, [0, -Math.sin(tilt), -Math.cos(tilt)]);
    // Sagittal: the (j, k) plane is a true sagittal plane; its down runs along −k, 15° off vertical, and right is perpendicular to it.
    close(planes.sagittal.frame.normal, [1, 0, 0]);
    close(planes.sagittal.frame.down, [0, -Math.sin(tilt), -Math.cos(tilt)]);
    close(planes.sagittal.frame.right, [0, Math.cos(tilt), -Math.sin(tilt)]);
    // Each frame is orthonormal and its normal perpendicular to both index axes of the plane it shows.
    for (const view of viewNames) {
      const { right, down, normal } = planes[view].frame;
      const a = axes[view];
      expect([dot(right, down), dot(down, normal), dot(normal, right)].map((v) => Math.abs(v) < 1e-12)).toEqual([true, true, true]);
      expect(Math.abs(dot(normal, geometry.direction[a.columnAxis]))).toBeLessThan(1e-12);
      expect(Math.abs(dot(normal, geometry.direction[a.rowAxis]))).toBeLessThan(1e-12);
    }
  });

  it('draws the sagittal slice on a square grid: a right angle on screen is a right angle in the patient, 100 pixels 97.7 mm', () => {
    const cursor: Vec3 = [300, 200, 9];
    const { sagittal } = obliquePlanes({ geometry, axes, rotation: identityRotation, point: cursor, cursor });
    // Drawn as stored, its columns (j) and rows (k) would be 75° apart in the patient: an angle drawn square on screen read 75.0°.
    const j = geometry.direction[1];
    const k = geometry.direction[2];
    expect(Math.acos(Math.abs(dot(j, k))) / degrees).toBeCloseTo(75, 5);
    expect(sagittal.standard).toBe(false);
    const { plane } = sagittal;
    const across = worldStep(geometry, plane.columnStep);
    const down = worldStep(geometry, plane.rowStep);
    expect(Math.acos(dot(across, down) / Math.hypot(...across) / Math.hypot(...down)) / degrees).toBeCloseTo(90, 9);
    expect(Math.hypot(...across) * 100).toBeCloseTo(97.65625, 9);
    expect(Math.hypot(...down) * 100).toBeCloseTo(97.65625, 9);
    // Still the stored slice i = 300: every pixel on it, the normal step one slice (0.977 mm across, x), as Reset planes would leave it.
    expect(indexSliceOf(plane, 0)).toBe(300);
    for (const [row, column] of [
      [0, 0],
      [plane.rows - 1, plane.columns - 1],
    ] as const)
      expect(pixelToIndex(plane, row, column)[0]).toBeCloseTo(300, 9);
    expect(plane.normalStep).toEqual([1, 0, 0]);
    expect(plane.normalSpacing).toBe(0.9765625);
    // Anterior left, posterior right, superior up, as the standard sagittal; up is the slice axis, 15° from vertical.
    expect(plane.markers).toEqual({ left: 'A', right: 'P', top: 'S', bottom: 'I' });
    expect(sliceLocation(geometry, plane)).toBeCloseTo(indexToWorld(geometry, cursor)[0], 9);
    // Turning the sagittal view's own crosshair leaves its picture: the same slice, the same grid.
    const own = rotateAbout(identityRotation, sagittal.frame.normal, 25 * degrees);
    const turned = obliquePlanes({ geometry, axes, rotation: own, point: [300.2, 200.4, 9.3], cursor });
    expect(turned.sagittal.standard).toBe(false);
    const again = turned.sagittal.plane;
    expect([again.rows, again.columns, indexSliceOf(again, 0)]).toEqual([plane.rows, plane.columns, 300]);
    for (const key of ['origin', 'columnStep', 'rowStep', 'normalStep'] as const) close(again[key], plane[key], 9);
  });

  it('steps a standard plane one slice, and spaces it by the distance between slices: 2.0 mm axial, not the 2.071 mm step', () => {
    const cursor: Vec3 = [300, 200, 9];
    const planes = obliquePlanes({ geometry, axes, rotation: identityRotation, point: cursor, cursor });
    // The files' slices are 2 mm apart in z; the coronal planes j apart are 0.977 · cos 15° = 0.943 mm apart across them.
    expect(tilted.positions[10]![2] - tilted.positions[9]![2]).toBeCloseTo(2, 6);
    expect(planes.axial.plane.normalStep).toEqual([0, 0, 1]);
    expect(planes.axial.plane.normalSpacing).toBeCloseTo(2, 6);
    const between = (view: 'axial' | 'coronal'): number => Math.abs(dot(worldStep(geometry, planes[view].plane.normalStep), planes[view].frame.normal));
    expect(planes.axial.plane.normalSpacing).toBeCloseTo(between('axial'), 12);
    expect(planes.coronal.plane.normalSpacing).toBeCloseTo(0.9765625 * Math.cos(tilt), 6);
    expect(planes.coronal.plane.normalSpacing).toBeCloseTo(between('coronal'), 12);
    console.log(`tilted CT: axial ${planes.axial.plane.normalSpacing} mm, coronal ${planes.coronal.plane.normalSpacing} mm between slices`);
  });

  it('turns the coronal and sagittal planes 30° about the slices’ normal, through the crosshair, exact in world mm; the axial keeps its slice', () => {
    const point: Vec3 = [300.3, 200.6, 9.25];
    const cursor: Vec3 = [300, 201, 9];
    const standard = obliquePlanes({ geometry, axes, rotation: identityRotation, point, cursor });
    // As the reducer turns the axial crosshair (state/mprState): about the axial frame's normal.
    const rotation = rotateAbout(identityRotation, cross(standard.axial.frame.right, standard.axial.frame.down), 30 * degrees);
    const planes = obliquePlanes({ geometry, axes, rotation, point, cursor });
    expect(planes.axial.standard).toBe(true);
    expect(planes.axial.plane).toEqual(viewPlaneOf(axes.axial, 9));
    const world = indexToWorld(geometry, point);
    for (const view of ['coronal', 'sagittal'] as const) {
      const { plane, standard: isStandard, frame } = planes[view];
      expect(isStandard).toBe(false);
      // The crosshair point lies on the plane; the pixel it falls on maps back to its LPS position.
      const at = indexToPixel(plane, point);
      expect(Math.abs(at.offset)).toBeLessThan(1e-9);
      close(indexToWorld(geometry, pixelToIndex(plane, at.row, at.column)), world, 9);
      // Steps of 0.977 mm along the frame, through the sheared index→world map.
      for (const [step, direction] of [
        [plane.columnStep, frame.right],
        [plane.rowStep, frame.down],
        [plane.normalStep, frame.normal],
      ] as const) {
        const w = worldStep(geometry, step);
        expect(Math.hypot(...w)).toBeCloseTo(0.9765625, 9);
        expect(dot(w, direction) / 0.9765625).toBeCloseTo(1, 9);
      }
      // Turned about z: the normal keeps its tilt from the axial plane, and turns 30° about z from the standard one.
      expect(frame.normal[2]).toBeCloseTo(standard[view].frame.normal[2], 12);
      const [a, b] = [frame.normal, standard[view].frame.normal];
      expect(Math.acos((a[0] * b[0] + a[1] * b[1]) / Math.hypot(a[0], a[1]) / Math.hypot(b[0], b[1])) / degrees).toBeCloseTo(30, 9);
    }
    // The axial view's crosshair line for the coronal plane runs along x turned 30°: on square pixels, 30° below screen right.
    const lines = crosshairLines(planes.axial.plane, [planes.coronal.plane, planes.sagittal.plane], point);
    close([lines.directions[0]!.row, lines.directions[0]!.column], [Math.sin(30 * degrees), Math.cos(30 * degrees)], 9);
    close([lines.centre.row, lines.centre.column], [point[1], point[0]], 9);
  });
});
