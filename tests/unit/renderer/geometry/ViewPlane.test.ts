import { describe, expect, it } from 'vitest';
import { planeAxes } from '../../../../renderer/geometry/planeAxes.js';
import { screenToVoxel } from '../../../../renderer/geometry/screenMapping.js';
import { indexToPixel, pixelToIndex, viewPlaneOf } from '../../../../renderer/geometry/ViewPlane.js';
import { viewNames } from '../../../../renderer/geometry/types.js';
import { type VolumeGeometry } from '../../../../core/geometry/types.js';

/** A permuted, flipped grid (SLA-like storage) with anisotropic spacing. */
const grid: VolumeGeometry = {
  dimensions: [7, 5, 9],
  spacing: [0.8, 2.5, 1.2],
  origin: [10, -20, 30],
  direction: [
    [0, 0, 1],
    [-1, 0, 0],
    [0, -1, 0],
  ],
};

describe('viewPlaneOf', () => {
  it.each(viewNames)('maps %s pixels to the same voxels as PlaneAxes, and back, with the slice spacing along the normal', (view) => {
    const axes = planeAxes(grid, view);
    const plane = viewPlaneOf(axes, 3);
    for (const [row, column] of [
      [0, 0],
      [axes.rows - 1, 0],
      [2, axes.columns - 1],
      [1, 2],
    ] as const) {
      expect(pixelToIndex(plane, row, column)).toEqual(screenToVoxel(axes, { row, column, slice: 3 }));
      const back = indexToPixel(plane, screenToVoxel(axes, { row, column, slice: 3 }));
      expect([back.row, back.column, back.offset].map((v) => Math.round(v * 1e9) / 1e9 + 0)).toEqual([row, column, 0]);
    }
    const ahead = pixelToIndex({ ...plane, origin: plane.origin.map((v, a) => v + plane.normalStep[a]!) as unknown as typeof plane.origin }, 0, 0);
    expect(indexToPixel(plane, ahead).offset).toBeCloseTo(1, 12);
    expect(plane.normalSpacing).toBe(grid.spacing[axes.sliceAxis]);
    expect([plane.columnSpacing, plane.rowSpacing]).toEqual([axes.columnSpacing, axes.rowSpacing]);
  });
});
