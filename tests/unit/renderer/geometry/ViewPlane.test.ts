import { describe, expect, it } from 'vitest';
import { planeAxes } from '../../../../renderer/geometry/planeAxes.js';
import { screenToVoxel } from '../../../../renderer/geometry/screenMapping.js';
import { indexSliceOf, indexToPixel, pixelToIndex, viewPlaneOf } from '../../../../renderer/geometry/ViewPlane.js';
import { viewNames } from '../../../../renderer/geometry/types.js';
import { type Vec3, type VolumeGeometry } from '../../../../core/geometry/types.js';

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

describe('indexSliceOf', () => {
  it('gives the slice a standard plane, or a slice resampled onto other steps, lies in; null for a plane cutting across slices', () => {
    const axes = planeAxes(grid, 'sagittal');
    const standard = viewPlaneOf(axes, 4);
    expect(indexSliceOf(standard, axes.sliceAxis)).toBe(4);
    // The same slice on another grid in its own plane: its steps never move along the slice axis.
    const inPlane = (a: number, b: number): Vec3 => {
      const v = [0, 0, 0];
      v[(axes.sliceAxis + 1) % 3] = a;
      v[(axes.sliceAxis + 2) % 3] = b;
      return [v[0]!, v[1]!, v[2]!];
    };
    /** `v` with its slice-axis component moved by `by`. */
    const along = (v: Vec3, by: number, set = false): Vec3 => [0, 1, 2].map((a) => (a === axes.sliceAxis ? (set ? by : v[a]! + by) : v[a]!)) as unknown as Vec3;
    const resampled = { ...standard, columnStep: inPlane(0.3, 0.1), rowStep: inPlane(-0.1, 0.3) };
    expect(indexSliceOf(resampled, axes.sliceAxis)).toBe(4);
    // Half-way between slices, or stepping across them: no slice.
    const between = { ...standard, origin: along(standard.origin, 0.5) };
    expect(indexSliceOf(between, axes.sliceAxis)).toBeNull();
    const across = { ...standard, rowStep: along(standard.rowStep, 0.01, true) };
    expect(indexSliceOf(across, axes.sliceAxis)).toBeNull();
  });
});
