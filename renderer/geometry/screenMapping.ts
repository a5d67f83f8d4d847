import type { PlaneAxes } from './planeAxes.js';
import type { Vec3 } from '../../core/geometry/types.js';

/** A screen pixel of a view: row and column of the cut image, and the slice it was cut from. */
export interface ScreenPixel {
  readonly row: number;
  readonly column: number;
  readonly slice: number;
}

/** Voxel index (i, j, k) shown at screen pixel (row, column) of `slice`; the inverse of {@link voxelToScreen}. */
export function screenToVoxel(axes: PlaneAxes, pixel: ScreenPixel): Vec3 {
  const index = [0, 0, 0];
  index[axes.columnAxis] = axes.columnFlip ? axes.columns - 1 - pixel.column : pixel.column;
  index[axes.rowAxis] = axes.rowFlip ? axes.rows - 1 - pixel.row : pixel.row;
  index[axes.sliceAxis] = pixel.slice;
  return [index[0]!, index[1]!, index[2]!];
}

/** Where voxel index (i, j, k) lies on a view: its screen row, column and slice (continuous indices map continuously). */
export function voxelToScreen(axes: PlaneAxes, index: Vec3): ScreenPixel {
  const c = index[axes.columnAxis];
  const r = index[axes.rowAxis];
  return {
    column: axes.columnFlip ? axes.columns - 1 - c : c,
    row: axes.rowFlip ? axes.rows - 1 - r : r,
    slice: index[axes.sliceAxis],
  };
}

/**
 * The affine map [column, row] = M · [i, j, k, 1] of {@link voxelToScreen},
 * as two rows of four numbers (the slice axis's entries are 0).
 */
export function voxelToScreenMatrix(axes: PlaneAxes): readonly [readonly number[], readonly number[]] {
  const columnRow = [0, 0, 0, axes.columnFlip ? axes.columns - 1 : 0];
  columnRow[axes.columnAxis] = axes.columnFlip ? -1 : 1;
  const rowRow = [0, 0, 0, axes.rowFlip ? axes.rows - 1 : 0];
  rowRow[axes.rowAxis] = axes.rowFlip ? -1 : 1;
  return [columnRow, rowRow];
}
