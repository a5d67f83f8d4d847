import { contourRegions, type ContourRegions } from './contourRegions.js';
import { fillRegionGroup, type RegionPixels } from './fillRegionGroup.js';
import type { SliceFrame } from './SliceFrame.js';

/** An inclusive box of pixels (u, v) on a slice. */
export interface PixelBox {
  uMin: number;
  uMax: number;
  vMin: number;
  vMax: number;
}

export interface FillGapParams {
  readonly frame: SliceFrame;
  readonly labels: ArrayLike<number>;
  readonly value: number;
  /** Two drawn slices with undrawn ones between, and the boxes of their drawn pixels. */
  readonly slices: readonly [number, number];
  readonly boxes: readonly [PixelBox, PixelBox];
  /** Marks voxels that may be filled (not yet the segment, not locked); returns whether it marked. */
  readonly mark: (voxel: number) => boolean;
}

/**
 * Fills the undrawn slices between two drawn ones: the regions of both
 * slices (8-connected) are matched by overlap; regions linked through
 * overlaps form one group (so a region that splits, or two that merge, are
 * interpolated together), and each group is interpolated on its own.
 * Returns how many voxels were marked.
 */
export function fillGap(p: FillGapParams): number {
  const { frame, boxes } = p;
  const box: PixelBox = {
    uMin: Math.min(boxes[0].uMin, boxes[1].uMin),
    uMax: Math.max(boxes[0].uMax, boxes[1].uMax),
    vMin: Math.min(boxes[0].vMin, boxes[1].vMin),
    vMax: Math.max(boxes[0].vMax, boxes[1].vMax),
  };
  const width = box.uMax - box.uMin + 1;
  const height = box.vMax - box.vMin + 1;
  const [a, b] = p.slices.map((s) => contourRegions(sliceMask(p, s, box, width, height), width, height)) as [ContourRegions, ContourRegions];
  const groups = overlapGroups(a, b);
  const members = groupPixels(a, b, groups.of, groups.length, box, width);
  let marked = 0;
  for (const { first, second } of members) marked += fillRegionGroup({ frame, slices: p.slices, first, second, mark: p.mark });
  return marked;
}

/** Each group's pixels on the two slices, as (u, v) pairs in slice coordinates (counted first, then filled). */
function groupPixels(
  a: ContourRegions,
  b: ContourRegions,
  of: Int32Array,
  count: number,
  box: PixelBox,
  width: number,
): { first: RegionPixels; second: RegionPixels }[] {
  const sizes = new Int32Array(2 * count);
  const pixels = a.labels.length;
  for (let n = 0; n < pixels; n++) {
    if (a.labels[n]! > 0) sizes[2 * of[a.labels[n]! - 1]!]! += 2;
    if (b.labels[n]! > 0) sizes[2 * of[a.count + b.labels[n]! - 1]! + 1]! += 2;
  }
  const lists = Array.from({ length: 2 * count }, (_, g) => new Int32Array(sizes[g]!));
  const fill = new Int32Array(2 * count);
  const put = (g: number, u: number, v: number): void => {
    const list = lists[g]!;
    list[fill[g]!++] = u;
    list[fill[g]!++] = v;
  };
  for (let n = 0; n < pixels; n++) {
    const ra = a.labels[n]!;
    const rb = b.labels[n]!;
    if (ra === 0 && rb === 0) continue;
    const u = box.uMin + (n % width);
    const v = box.vMin + Math.floor(n / width);
    if (ra !== 0) put(2 * of[ra - 1]!, u, v);
    if (rb !== 0) put(2 * of[a.count + rb - 1]! + 1, u, v);
  }
  return Array.from({ length: count }, (_, g) => ({ first: lists[2 * g]!, second: lists[2 * g + 1]! }));
}

/** One slice's drawn pixels within the box, as a mask. */
function sliceMask(p: FillGapParams, slice: number, box: PixelBox, width: number, height: number): Uint8Array {
  const [su, sv, ss] = p.frame.strides;
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    let n = slice * ss + (box.vMin + y) * sv + box.uMin * su;
    for (let x = 0; x < width; x++, n += su) if (p.labels[n] === p.value) mask[x + y * width] = 1;
  }
  return mask;
}

/** Groups of regions linked by overlap: `of[r]` is region r's group (regions of the second slice after the first's), `length` the group count. */
function overlapGroups(a: ContourRegions, b: ContourRegions): { of: Int32Array; length: number } {
  const parent = Int32Array.from({ length: a.count + b.count }, (_, n) => n);
  const root = (n: number): number => {
    while (parent[n] !== n) n = parent[n] = parent[parent[n]!]!;
    return n;
  };
  for (let n = 0; n < a.labels.length; n++) {
    if (a.labels[n]! > 0 && b.labels[n]! > 0) parent[root(a.labels[n]! - 1)] = root(a.count + b.labels[n]! - 1);
  }
  const of = new Int32Array(parent.length);
  const numbers = new Map<number, number>();
  for (let n = 0; n < parent.length; n++) {
    const r = root(n);
    if (!numbers.has(r)) numbers.set(r, numbers.size);
    of[n] = numbers.get(r)!;
  }
  return { of, length: numbers.size };
}
