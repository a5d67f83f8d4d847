import type { Volume } from '../../../main/volume/Volume.js';
import type { Index3, ViewName } from '../pages/pageShapes.js';
import type { ViewerPage } from '../pages/ViewerPage.js';
import { inPlaneAxes } from '../pages/viewGeometry.js';
import { blendOver, colourError, expectedGrey, gridOnSlice, type Rgb } from './expectedPixels.js';

export interface OverlayExpectation {
  /** The label map on the volume's grid (i fastest), read by the test. */
  readonly labels: ArrayLike<number>;
  /** Colour of each segment drawn; a label missing here (hidden, or 0) must leave the grey untouched. */
  readonly colours: ReadonlyMap<number, Rgb>;
  /** Fill alpha, 0–1. */
  readonly alpha: number;
}

export interface OverlayMiss {
  readonly index: Index3;
  readonly label: number;
  readonly rgba: readonly number[];
  readonly expected: readonly number[];
}

export interface OverlayCheck {
  readonly view: ViewName;
  /** Pixels compared, by the label under them (0: unlabelled). */
  readonly checkedByLabel: ReadonlyMap<number, number>;
  readonly worst: number;
  readonly misses: readonly OverlayMiss[];
}

/** The label at an index if its in-plane 3×3 neighbourhood all holds it, else null (the label layer is drawn nearest-neighbour). */
function uniformLabel(volume: Volume, labels: ArrayLike<number>, axes: [number, number], index: Index3): number | null {
  const [ni, nj, nk] = volume.dimensions;
  const at = (p: readonly number[]): number => labels[p[0]! + ni * (p[1]! + nj * p[2]!)]!;
  const centre = at(index);
  for (let du = -1; du <= 1; du++) {
    for (let dw = -1; dw <= 1; dw++) {
      const p = [...index];
      p[axes[0]] = p[axes[0]]! + du;
      p[axes[1]] = p[axes[1]]! + dw;
      if (p[0]! < 0 || p[1]! < 0 || p[2]! < 0 || p[0]! >= ni || p[1]! >= nj || p[2]! >= nk || at(p) !== centre) return null;
    }
  }
  return centre;
}

/**
 * Reads the view's canvas on a grid over its slice and compares each pixel,
 * where the label map is uniform and the picture flat, with the grey of the
 * volume's HU through the window, blended with its segment's colour at the
 * fill alpha (or left alone where no segment is drawn).
 */
export async function checkOverlayPixels(
  viewer: ViewerPage,
  volume: Volume,
  view: ViewName,
  expectation: OverlayExpectation,
  { steps = 40, maxSpan = 16, tolerance = 2 } = {},
): Promise<OverlayCheck> {
  const viewport = await viewer.viewport(view);
  const axes = inPlaneAxes(viewport);
  const samples = await viewer.pixelsAt(view, gridOnSlice(volume, viewport, steps, 0.02));
  const checkedByLabel = new Map<number, number>();
  const misses: OverlayMiss[] = [];
  let worst = 0;
  for (const sample of samples) {
    const label = uniformLabel(volume, expectation.labels, axes, sample.index);
    const grey = expectedGrey(volume, viewport, sample);
    if (label === null || grey.span > maxSpan) continue;
    const colour = expectation.colours.get(label);
    const expected = colour ? blendOver(grey.grey, colour, expectation.alpha) : ([grey.grey, grey.grey, grey.grey] as const);
    const error = colourError(sample.rgba, expected);
    worst = Math.max(worst, error);
    checkedByLabel.set(label, (checkedByLabel.get(label) ?? 0) + 1);
    if (error > tolerance) misses.push({ index: sample.index, label, rgba: sample.rgba, expected: expected.map((c) => +c.toFixed(1)) });
  }
  return { view, checkedByLabel, worst, misses };
}
