import type { PlaneAxes } from './planeAxes.js';
import type { NumericArray } from '../../core/voxels/NumericArray.js';

/** What {@link cutPlane} wrote: a row-major image in screen order, and its pixel size for the aspect ratio. */
export interface CutSlice {
  readonly rows: number;
  readonly columns: number;
  /** mm between rows (a pixel's height): cornerstone's rowPixelSpacing. */
  readonly rowPixelSpacing: number;
  /** mm between columns (a pixel's width): cornerstone's columnPixelSpacing. */
  readonly columnPixelSpacing: number;
}

/**
 * Copies slice `slice` of a view out of a volume (i fastest, then j, then k)
 * into `out`, row-major in screen order: the view's permutation and flips are
 * applied, so out[0] is the top-left screen pixel. Works the same for image
 * voxels and label maps. `out` is reused by the caller (no allocation here);
 * a float volume cut into an integer array is truncated, so cut floats into
 * a float array.
 * @throws RangeError when the slice is outside the volume or `out` is too short.
 */
export function cutPlane(voxels: NumericArray, axes: PlaneAxes, slice: number, out: NumericArray): CutSlice {
  const { rows, columns, dimensions } = axes;
  if (!Number.isInteger(slice) || slice < 0 || slice >= axes.slices) {
    throw new RangeError(`slice ${slice} is outside 0…${axes.slices - 1}`);
  }
  if (out.length < rows * columns) throw new RangeError(`output holds ${out.length} pixels, needs ${rows * columns}`);
  const strides = [1, dimensions[0], dimensions[0] * dimensions[1]] as const;
  const columnStride = strides[axes.columnAxis];
  const rowStride = strides[axes.rowAxis];
  const columnStep = axes.columnFlip ? -columnStride : columnStride;
  const rowStep = axes.rowFlip ? -rowStride : rowStride;
  let rowStart = slice * strides[axes.sliceAxis] + (axes.rowFlip ? (rows - 1) * rowStride : 0) + (axes.columnFlip ? (columns - 1) * columnStride : 0);
  let o = 0;
  for (let r = 0; r < rows; r++, rowStart += rowStep) {
    let p = rowStart;
    for (let c = 0; c < columns; c++, p += columnStep) out[o++] = voxels[p]!;
  }
  return { rows, columns, rowPixelSpacing: axes.rowSpacing, columnPixelSpacing: axes.columnSpacing };
}
