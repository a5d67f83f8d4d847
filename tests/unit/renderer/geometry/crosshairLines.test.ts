import { describe, expect, it } from 'vitest';
import { crosshairLines } from '../../../../renderer/geometry/crosshairLines.js';
import { obliquePlanes } from '../../../../renderer/geometry/obliquePlanes.js';
import { planeAxes } from '../../../../renderer/geometry/planeAxes.js';
import { identityRotation, rotateAbout } from '../../../../renderer/geometry/rotateAbout.js';
import type { Vec3, VolumeGeometry } from '../../../../core/geometry/types.js';
import { viewGeometryOf } from '../../../../renderer/views/viewGeometryOf.js';

const grid: VolumeGeometry = {
  dimensions: [64, 48, 20],
  spacing: [0.8, 0.8, 2.5],
  origin: [0, 0, 0],
  direction: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
};
const axes = { axial: planeAxes(grid, 'axial'), coronal: planeAxes(grid, 'coronal'), sagittal: planeAxes(grid, 'sagittal') };

describe('crosshairLines', () => {
  it('draws the coronal plane horizontal and the sagittal one vertical on a standard axial view, through the cursor', () => {
    const cursor: Vec3 = [30, 20, 9];
    const planes = obliquePlanes({ geometry: grid, axes, rotation: identityRotation, point: cursor, cursor });
    const lines = crosshairLines(planes.axial.plane, [planes.coronal.plane, planes.sagittal.plane], cursor);
    expect(lines.centre).toEqual({ row: 20, column: 30 });
    expect(lines.directions).toEqual([
      { row: 0, column: 1 },
      { row: 1, column: 0 },
    ]);
  });

  it('turns the coronal line 30° clockwise in the axial view after a 30° turn; the axial line stays level in the turned coronal view', () => {
    const point: Vec3 = [30.5, 20.25, 9];
    const rotation = rotateAbout(identityRotation, [0, 0, 1], Math.PI / 6);
    const planes = obliquePlanes({ geometry: grid, axes, rotation, point, cursor: [31, 20, 9] });
    const inAxial = crosshairLines(planes.axial.plane, [planes.coronal.plane, planes.sagittal.plane], point);
    const angle = (d: { row: number; column: number } | null) => (Math.atan2(d!.row, d!.column) * 180) / Math.PI;
    expect(angle(inAxial.directions[0]!)).toBeCloseTo(30, 9);
    expect(angle(inAxial.directions[1]!)).toBeCloseTo(-60, 9);
    const inCoronal = crosshairLines(planes.coronal.plane, [planes.axial.plane, planes.sagittal.plane], point);
    expect(angle(inCoronal.directions[0]!)).toBeCloseTo(0, 9);
    expect(Math.abs(angle(inCoronal.directions[1]!))).toBeCloseTo(90, 9);
  });
});

describe('viewGeometryOf', () => {
  it('maps pixels to CSS with the renderer’s affine map and back', () => {
    const plane = obliquePlanes({ geometry: grid, axes, rotation: identityRotation, point: [1, 1, 1], cursor: [1, 1, 1] }).coronal.plane;
    // A view zoomed ×2.5 horizontally and ×6.25 vertically (2.5 mm rows), panned.
    const g = viewGeometryOf('coronal', plane, { canvasPointOf: (row, column) => ({ x: 10 + 2.5 * (column + 0.5), y: 7 + 6.25 * (row + 0.5) }) });
    expect(g.cssFromPixel(2, 3)).toEqual({ x: 10 + 2.5 * 3.5, y: 7 + 6.25 * 2.5 });
    const back = g.pixelFromCss(41.3, 99.9);
    const css = g.cssFromPixel(back.row, back.column);
    expect(css.x).toBeCloseTo(41.3, 9);
    expect(css.y).toBeCloseTo(99.9, 9);
    expect(g.plane).toBe(plane);
  });
});
