import type { Volume } from '../../../main/volume/Volume.js';
import type { Index3, PixelSample, ViewportSnapshot } from '../pages/pageShapes.js';
import { inPlaneAxes, voxelUnderCss } from '../pages/viewGeometry.js';

export type Rgb = readonly [number, number, number];

export interface VoiWindow {
  readonly center: number;
  readonly width: number;
}

/** clamp((value − (center − width/2)) / width × 255, 0, 255): the linear VOI LUT cornerstone applies. */
export function windowGrey(value: number, window: VoiWindow): number {
  const grey = ((value - (window.center - window.width / 2)) / window.width) * 255;
  return Math.min(255, Math.max(0, grey));
}

/** The volume's value at an index, clamped to its edges. */
export function voxelValue(volume: Volume, index: Index3): number {
  const [ni, nj, nk] = volume.dimensions;
  const i = Math.min(ni - 1, Math.max(0, index[0]));
  const j = Math.min(nj - 1, Math.max(0, index[1]));
  const k = Math.min(nk - 1, Math.max(0, index[2]));
  return volume.voxels[i + ni * (j + nj * k)]!;
}

export interface ExpectedGrey {
  /** The grey the pixel should show: the four voxels around its centre, each windowed, blended bilinearly. */
  readonly grey: number;
  /** The windowed grey of the voxel itself. */
  readonly voxelGrey: number;
  /**
   * Largest minus smallest windowed grey over the voxels the scaling filter
   * may reach: the 2 voxels around the pixel's centre along an axis the view
   * shrinks, 4 along one it enlarges. How much the filter could matter there.
   */
  readonly span: number;
}

/**
 * The grey a pixel should show. Cornerstone windows the slice at voxel
 * resolution into an 8-bit canvas, and Chromium scales that canvas onto the
 * view with smoothing on (the image layer's pixelReplication is off):
 * bilinear when shrinking, a wider cubic-like filter when enlarging (a
 * neighbour one voxel away weighs ~6 % at a voxel's centre). The expected
 * grey is the bilinear blend; where the filter's reach is flat (small span),
 * either filter gives it within a level.
 */
export function expectedGrey(volume: Volume, viewport: ViewportSnapshot, sample: PixelSample): ExpectedGrey {
  const [a, b] = inPlaneAxes(viewport);
  const at = voxelUnderCss(viewport, sample.cssX, sample.cssY);
  const u0 = Math.floor(at[a]!);
  const w0 = Math.floor(at[b]!);
  const fu = at[a]! - u0;
  const fw = at[b]! - w0;
  const grey = (du: number, dw: number): number => {
    const index: [number, number, number] = [...sample.index];
    index[a] = u0 + du;
    index[b] = w0 + dw;
    return Math.round(windowGrey(voxelValue(volume, index), viewport.window));
  };
  const [mx, my] = viewport.cssFromVoxel;
  const reach = (axis: number): [number, number] => (Math.hypot(mx[axis]!, my[axis]!) > 1 ? [-1, 2] : [0, 1]);
  const [ua, ub] = reach(a);
  const [wa, wb] = reach(b);
  let lo = 255;
  let hi = 0;
  for (let du = ua; du <= ub; du++) {
    for (let dw = wa; dw <= wb; dw++) {
      const g = grey(du, dw);
      lo = Math.min(lo, g);
      hi = Math.max(hi, g);
    }
  }
  return {
    grey: (1 - fu) * (1 - fw) * grey(0, 0) + fu * (1 - fw) * grey(1, 0) + (1 - fu) * fw * grey(0, 1) + fu * fw * grey(1, 1),
    voxelGrey: windowGrey(voxelValue(volume, sample.index), viewport.window),
    span: hi - lo,
  };
}

/** The fill alpha the label layer uses for an opacity (renderer/display/labelColours.ts: round(opacity × 255)). */
export function fillAlpha(opacity: number): number {
  return Math.round(Math.min(1, Math.max(0, opacity)) * 255) / 255;
}

/** `colour` at `alpha` over a grey pixel (source-over). */
export function blendOver(grey: number, colour: Rgb, alpha: number): Rgb {
  return [0, 1, 2].map((c) => colour[c]! * alpha + grey * (1 - alpha)) as unknown as Rgb;
}

/** Largest per-channel difference between a pixel and an expected colour. */
export function colourError(rgba: readonly number[], expected: Rgb): number {
  return Math.max(...expected.map((e, c) => Math.abs(rgba[c]! - e)));
}

/**
 * Voxels on a regular grid over the view's current slice, inset by `margin`
 * of each in-plane extent, `steps` along each axis.
 */
export function gridOnSlice(volume: Volume, viewport: ViewportSnapshot, steps: number, margin = 0.1): Index3[] {
  const [a, b] = inPlaneAxes(viewport);
  const along = (axis: number): number[] => {
    const n = volume.dimensions[axis]!;
    const lo = Math.round(n * margin);
    const hi = Math.round(n * (1 - margin)) - 1;
    return Array.from({ length: steps }, (_, s) => Math.round(lo + ((hi - lo) * s) / Math.max(1, steps - 1)));
  };
  const points: Index3[] = [];
  for (const u of along(a)) {
    for (const w of along(b)) {
      const index: [number, number, number] = [0, 0, 0];
      index[a] = u;
      index[b] = w;
      index[viewport.sliceAxis] = viewport.slice;
      points.push(index);
    }
  }
  return points;
}
