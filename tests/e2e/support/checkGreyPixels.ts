import type { Volume } from '../../../main/volume/Volume.js';
import type { Index3, ViewName } from '../pages/pageShapes.js';
import type { ViewerPage } from '../pages/ViewerPage.js';
import { expectedGrey, gridOnSlice } from './expectedPixels.js';

export interface GreyCheckOptions {
  /** Grid points along each in-plane axis (default 24, so 576 sampled). */
  readonly steps?: number;
  /**
   * Skip pixels whose four surrounding voxels differ by more than this many
   * grey levels (default 16): on a steep edge a tenth of a pixel moves the
   * expected grey by more than the tolerance.
   */
  readonly maxSpan?: number;
  /** Largest allowed |pixel − expected| in grey levels (default 2). */
  readonly tolerance?: number;
}

export interface GreyMiss {
  readonly index: Index3;
  readonly rgba: readonly number[];
  readonly expected: number;
}

export interface GreyCheck {
  readonly view: ViewName;
  readonly slice: number;
  readonly window: { readonly center: number; readonly width: number };
  readonly sampled: number;
  /** Pixels compared (flat enough, on the slice). */
  readonly checked: number;
  /** Of those, how many expected a grey strictly inside (10, 245): not clipped by the window. */
  readonly midGrey: number;
  /** Largest |pixel − expected| over the pixels compared. */
  readonly worst: number;
  readonly misses: readonly GreyMiss[];
}

/**
 * Reads the view's canvas at the voxel centres of a grid over its slice and
 * compares each pixel with the volume's own value there (read in Node, not by
 * the viewer) mapped through the view's window.
 */
export async function checkGreyPixels(viewer: ViewerPage, volume: Volume, view: ViewName, options: GreyCheckOptions = {}): Promise<GreyCheck> {
  const { steps = 24, maxSpan = 16, tolerance = 2 } = options;
  const viewport = await viewer.viewport(view);
  const samples = await viewer.pixelsAt(view, gridOnSlice(volume, viewport, steps));
  let checked = 0;
  let midGrey = 0;
  let worst = 0;
  const misses: GreyMiss[] = [];
  for (const sample of samples) {
    const expected = expectedGrey(volume, viewport, sample);
    if (!sample.onSlice || expected.span > maxSpan) continue;
    checked++;
    if (expected.grey > 10 && expected.grey < 245) midGrey++;
    const [r, g, b, a] = sample.rgba;
    const error = Math.max(Math.abs(r - expected.grey), Math.abs(g - expected.grey), Math.abs(b - expected.grey), 255 - a);
    worst = Math.max(worst, error);
    if (error > tolerance) misses.push({ index: sample.index, rgba: sample.rgba, expected: +expected.grey.toFixed(2) });
  }
  return { view, slice: viewport.slice, window: viewport.window, sampled: samples.length, checked, midGrey, worst, misses };
}
