import { contourDistance } from './contourDistance.js';
import type { SliceFrame } from './SliceFrame.js';

/** A region's pixels as (u, v) pairs. */
export type RegionPixels = Int32Array;

export interface FillRegionGroupParams {
  readonly frame: SliceFrame;
  readonly slices: readonly [number, number];
  /** The group's pixels on the first and the second slice (either may be empty). */
  readonly first: RegionPixels;
  readonly second: RegionPixels;
  readonly mark: (voxel: number) => boolean;
}

/** Pixels of empty canvas kept around the regions, so that the contour is surrounded by outside. */
const margin = 2;

/**
 * Interpolates one group of matched regions across the slices between its
 * two drawn slices: the second slice's regions are moved onto the first's
 * by the difference of their centroids (rounded), the two signed distances
 * are blended linearly by slice position, the blend's inside (< 0) is moved
 * back by that fraction of the shift and marked. A group drawn on only one
 * slice (a region without an overlapping partner) shrinks towards its
 * deepest pixel, which alone is left on the slice next to the other.
 * Returns how many voxels were marked.
 */
export function fillRegionGroup(p: FillRegionGroupParams): number {
  const { first, second } = p;
  if (first.length === 0 && second.length === 0) return 0;
  if (first.length === 0 || second.length === 0) return shrink(p, first.length > 0 ? 'first' : 'second');
  const ca = centroid(first);
  const cb = centroid(second);
  const shift: [number, number] = [Math.round(cb[0] - ca[0]), Math.round(cb[1] - ca[1])];
  const canvas = canvasAround([first, moved(second, -shift[0], -shift[1])], p.frame.spacing);
  const da = contourDistance(canvas.raster(first, 0, 0), canvas.plane);
  const db = contourDistance(canvas.raster(second, -shift[0], -shift[1]), canvas.plane);
  const [s0, s1] = p.slices;
  let marked = 0;
  for (let s = s0 + 1; s < s1; s++) {
    const t = (s - s0) / (s1 - s0);
    const du = Math.round(t * shift[0]);
    const dv = Math.round(t * shift[1]);
    marked += canvas.markWhere(p, s, du, dv, (n) => (1 - t) * da[n]! + t * db[n]! < 0);
  }
  return marked;
}

/** A lone region shrinking towards the other slice: pixels deeper than t × its greatest depth stay. */
function shrink(p: FillRegionGroupParams, side: 'first' | 'second'): number {
  const pixels = side === 'first' ? p.first : p.second;
  const canvas = canvasAround([pixels], p.frame.spacing);
  const d = contourDistance(canvas.raster(pixels, 0, 0), canvas.plane);
  let deepest = 0;
  for (let n = 0; n < d.length; n++) deepest = Math.max(deepest, -d[n]!);
  const [s0, s1] = p.slices;
  let marked = 0;
  for (let s = s0 + 1; s < s1; s++) {
    const t = side === 'first' ? (s - s0) / (s1 - s0) : (s1 - s) / (s1 - s0);
    marked += canvas.markWhere(p, s, 0, 0, (n) => -d[n]! > t * deepest);
  }
  return marked;
}

function centroid(pixels: RegionPixels): [number, number] {
  let u = 0;
  let v = 0;
  for (let k = 0; k < pixels.length; k += 2) {
    u += pixels[k]!;
    v += pixels[k + 1]!;
  }
  const n = pixels.length / 2;
  return [u / n, v / n];
}

function moved(pixels: RegionPixels, du: number, dv: number): RegionPixels {
  const out = new Int32Array(pixels.length);
  for (let k = 0; k < pixels.length; k += 2) {
    out[k] = pixels[k]! + du;
    out[k + 1] = pixels[k + 1]! + dv;
  }
  return out;
}

/** A local canvas holding some pixel sets with a margin, which may reach past the slice's edges. */
function canvasAround(sets: readonly RegionPixels[], spacing: readonly [number, number]) {
  let uMin = Infinity;
  let uMax = -Infinity;
  let vMin = Infinity;
  let vMax = -Infinity;
  for (const pixels of sets) {
    for (let k = 0; k < pixels.length; k += 2) {
      uMin = Math.min(uMin, pixels[k]!);
      uMax = Math.max(uMax, pixels[k]!);
      vMin = Math.min(vMin, pixels[k + 1]!);
      vMax = Math.max(vMax, pixels[k + 1]!);
    }
  }
  const u0 = uMin - margin;
  const v0 = vMin - margin;
  const width = uMax - uMin + 1 + 2 * margin;
  const height = vMax - vMin + 1 + 2 * margin;
  return {
    plane: { width, height, spacing },
    /** A mask of the pixels moved by (du, dv). */
    raster(pixels: RegionPixels, du: number, dv: number): Uint8Array {
      const mask = new Uint8Array(width * height);
      for (let k = 0; k < pixels.length; k += 2) mask[pixels[k]! + du - u0 + (pixels[k + 1]! + dv - v0) * width] = 1;
      return mask;
    },
    /** Marks slice s's voxels under the canvas pixels that pass `inside`, moved by (du, dv); returns how many were marked. */
    markWhere(p: FillRegionGroupParams, s: number, du: number, dv: number, inside: (n: number) => boolean): number {
      const { width: w, height: h, strides } = p.frame;
      let marked = 0;
      for (let y = 0; y < height; y++) {
        const v = v0 + y + dv;
        if (v < 0 || v >= h) continue;
        for (let x = 0; x < width; x++) {
          const u = u0 + x + du;
          if (u < 0 || u >= w || !inside(x + y * width)) continue;
          if (p.mark(s * strides[2] + v * strides[1] + u * strides[0])) marked++;
        }
      }
      return marked;
    },
  };
}
