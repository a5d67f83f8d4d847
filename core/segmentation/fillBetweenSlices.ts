import type { Axis, Vec3 } from '../geometry/types.js';
import { fillGap, type PixelBox } from './fillGap.js';
import type { SliceFrame } from './SliceFrame.js';

export interface FillBetweenSlicesParams {
  /** Label values, i fastest (a label layer). */
  readonly labels: ArrayLike<number>;
  /** The segment's value: slices holding it along `axis` are the drawn ones. */
  readonly value: number;
  readonly dimensions: Vec3;
  /** mm per voxel along i, j, k (in-plane distances are weighted by it). */
  readonly spacing: Vec3;
  /** The index axis across which slices are drawn (the view's slice axis). */
  readonly axis: Axis;
  /** Label values that must not change (locked segments), as a lookup: locked[value] = 1. */
  readonly locked?: Uint8Array;
}

export interface FillBetweenSlicesResult {
  /** 1 on the voxels the fill adds (between drawn slices, not yet the segment's, not locked), i fastest. */
  readonly mask: Uint8Array;
  /** How many voxels `mask` marks. */
  readonly voxels: number;
  /** The slices that hold the segment, ascending. */
  readonly drawnSlices: readonly number[];
  /** How many undrawn slices lie between drawn ones (and were filled). */
  readonly filledSlices: number;
}

/**
 * Fill between slices: morphological contour interpolation across one axis,
 * as ITK's MorphologicalContourInterpolator and 3D Slicer's "Fill between
 * slices" (Albu et al. 2008). For each pair of consecutive drawn slices with
 * undrawn slices between, the regions of the two are matched by overlap
 * (regions linked through overlaps are one group: a split or a merge), each
 * group's signed distances are blended by slice position after aligning the
 * groups' centroids, and a region without an overlapping partner shrinks to
 * a point over the gap (ITK instead extrapolates such branch ends). Nothing
 * is added before the first or after the last drawn slice. Only voxels that
 * are neither the segment already nor locked are marked.
 * @throws RangeError when the labels do not match the dimensions or the axis is not 0, 1 or 2
 */
export function fillBetweenSlices(params: FillBetweenSlicesParams): FillBetweenSlicesResult {
  const { labels, value, dimensions, axis, locked } = params;
  const [nx, ny, nz] = dimensions;
  if (labels.length !== nx * ny * nz) throw new RangeError(`${labels.length} labels for a ${dimensions.join('×')} grid`);
  if (axis !== 0 && axis !== 1 && axis !== 2) throw new RangeError(`axis ${String(axis)}`);
  const frame = sliceFrame(dimensions, params.spacing, axis);
  const boxes = drawnBoxes(labels, value, dimensions, axis);
  const drawnSlices = boxes.flatMap((box, s) => (box ? [s] : []));
  const mask = new Uint8Array(labels.length);
  const mark = (n: number): boolean => {
    if (mask[n] === 1) return false;
    const old = labels[n]!;
    if (old === value || locked?.[old] === 1) return false;
    mask[n] = 1;
    return true;
  };
  let voxels = 0;
  let filledSlices = 0;
  for (let k = 1; k < drawnSlices.length; k++) {
    const s0 = drawnSlices[k - 1]!;
    const s1 = drawnSlices[k]!;
    if (s1 - s0 < 2) continue;
    filledSlices += s1 - s0 - 1;
    voxels += fillGap({ frame, labels, value, slices: [s0, s1], boxes: [boxes[s0]!, boxes[s1]!], mark });
  }
  return { mask, voxels, drawnSlices, filledSlices };
}

/** The slices across `axis`: u and v are the other two index axes, in order. */
function sliceFrame(dimensions: Vec3, spacing: Vec3, axis: Axis): SliceFrame {
  const strides = [1, dimensions[0], dimensions[0] * dimensions[1]] as const;
  const [u, v] = ([0, 1, 2] as const).filter((a) => a !== axis) as [Axis, Axis];
  return { width: dimensions[u], height: dimensions[v], strides: [strides[u], strides[v], strides[axis]], spacing: [spacing[u], spacing[v]] };
}

/**
 * Per slice across `axis`, the box of its voxels holding `value` (null where
 * none does), in one pass over the labels: each row along i is scanned for
 * its first and last hit, and only rows with hits are looked at again.
 */
function drawnBoxes(labels: ArrayLike<number>, value: number, dimensions: Vec3, axis: Axis): (PixelBox | null)[] {
  const boxes: (PixelBox | null)[] = new Array<PixelBox | null>(dimensions[axis]).fill(null);
  const [nx, ny, nz] = dimensions;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      const row = nx * (j + ny * k);
      let first = -1;
      let last = -1;
      for (let i = 0; i < nx; i++) {
        if (labels[row + i] !== value) continue;
        if (first < 0) first = i;
        last = i;
      }
      if (first < 0) continue;
      if (axis === 2) grow(boxes, k, first, last, j, j);
      else if (axis === 1) grow(boxes, j, first, last, k, k);
      else for (let i = first; i <= last; i++) if (labels[row + i] === value) grow(boxes, i, j, j, k, k);
    }
  }
  return boxes;
}

/** Widens slice s's box to hold u in [u0, u1] and v in [v0, v1]. */
function grow(boxes: (PixelBox | null)[], s: number, u0: number, u1: number, v0: number, v1: number): void {
  const box = boxes[s];
  if (!box) {
    boxes[s] = { uMin: u0, uMax: u1, vMin: v0, vMax: v1 };
    return;
  }
  if (u0 < box.uMin) box.uMin = u0;
  if (u1 > box.uMax) box.uMax = u1;
  if (v0 < box.vMin) box.vMin = v0;
  if (v1 > box.vMax) box.vMax = v1;
}
