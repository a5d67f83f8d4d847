import type { Index3, PageCanvas, PageGlobal, PlaneSnapshot, ViewName, ViewportSnapshot } from '../pages/pageShapes.js';
import type { ViewerPage } from '../pages/ViewerPage.js';
import { blendOver, colourError, windowGrey, type Rgb } from './expectedPixels.js';

/** What a plane's pixels should hold, row-major over the plane (e.g. scipy's map_coordinates of it). */
export interface PlaneExpectation {
  readonly values: ArrayLike<number>;
  /** Labels on the same pixels, and their colours and fill alpha; unlabelled or uncoloured pixels stay grey. */
  readonly labels?: { readonly values: ArrayLike<number>; readonly colours: ReadonlyMap<number, Rgb>; readonly alpha: number };
}

export interface PlaneMiss {
  readonly pixel: readonly [number, number];
  readonly rgba: readonly number[];
  readonly expected: readonly number[];
}

export interface PlaneCheck {
  /** Pixels compared, by the label under them (0 without labels or unlabelled). */
  readonly checkedByLabel: ReadonlyMap<number, number>;
  readonly checked: number;
  /** Of those, how many expected a grey strictly inside (10, 245). */
  readonly midGrey: number;
  readonly worst: number;
  readonly misses: readonly PlaneMiss[];
}

/** Voxel index of a continuous plane pixel. */
export function planeIndex(plane: PlaneSnapshot, row: number, column: number): Index3 {
  return [0, 1, 2].map((a) => plane.origin[a]! + column * plane.columnStep[a]! + row * plane.rowStep[a]!) as unknown as Index3;
}

/** The CSS map of the view's plane pixels: css = o + column·ex + row·ey, from the drawn cssFromVoxel. */
function pixelToCss(viewport: ViewportSnapshot) {
  const [mx, my] = viewport.cssFromVoxel;
  const css = (index: Index3) => ({
    x: mx[0]! * index[0] + mx[1]! * index[1] + mx[2]! * index[2] + mx[3]!,
    y: my[0]! * index[0] + my[1]! * index[1] + my[2]! * index[2] + my[3]!,
  });
  const o = css(planeIndex(viewport.plane, 0, 0));
  const c = css(planeIndex(viewport.plane, 0, 1));
  const r = css(planeIndex(viewport.plane, 1, 0));
  const ex = { x: c.x - o.x, y: c.y - o.y };
  const ey = { x: r.x - o.x, y: r.y - o.y };
  const det = ex.x * ey.y - ex.y * ey.x;
  return {
    css: (row: number, column: number) => ({ x: o.x + column * ex.x + row * ey.x, y: o.y + column * ex.y + row * ey.y }),
    pixel: (x: number, y: number) => ({ column: ((x - o.x) * ey.y - (y - o.y) * ey.x) / det, row: (ex.x * (y - o.y) - ex.y * (x - o.x)) / det }),
    enlarges: { column: Math.hypot(ex.x, ex.y) > 1, row: Math.hypot(ey.x, ey.y) > 1 },
  };
}

/**
 * Reads the view's canvas at plane pixel centres on a steps × steps grid and
 * compares each with the expected value there through the view's window
 * (the canvas is drawn at plane-pixel resolution then smoothed onto the
 * screen: bilinear between the 4 plane pixels around the point, a wider
 * reach when enlarging, so steep spots are skipped as checkGreyPixels does),
 * blended with its label's colour where a uniform label lies under it.
 * Skips pixels whose neighbourhood leaves the volume (`inside`) or the canvas.
 */
export async function checkPlanePixels(
  viewer: ViewerPage,
  view: ViewName,
  expectation: PlaneExpectation,
  inside: (index: Index3) => boolean,
  { steps = 32, maxSpan = 16, tolerance = 2 } = {},
): Promise<PlaneCheck> {
  const viewport = await viewer.viewport(view);
  const { plane, window } = viewport;
  const map = pixelToCss(viewport);
  const points: { x: number; y: number }[] = [];
  for (let a = 0; a < steps; a++) {
    for (let b = 0; b < steps; b++) {
      const row = Math.round(2 + ((plane.rows - 5) * a) / (steps - 1));
      const column = Math.round(2 + ((plane.columns - 5) * b) / (steps - 1));
      const p = map.css(row, column);
      if (p.x >= 1 && p.y >= 1 && p.x < viewport.canvas.width - 1 && p.y < viewport.canvas.height - 1) points.push(p);
    }
  }
  const samples = await readCanvas(viewer, view, points);
  const grey = (r: number, c: number): number => Math.round(windowGrey(Math.round(expectation.values[r * plane.columns + c]!), window));
  const label = (r: number, c: number): number => expectation.labels?.values[r * plane.columns + c] ?? 0;
  const checkedByLabel = new Map<number, number>();
  const misses: PlaneMiss[] = [];
  let checked = 0;
  let midGrey = 0;
  let worst = 0;
  for (const sample of samples) {
    const at = map.pixel(sample.cssX, sample.cssY);
    const r0 = Math.floor(at.row);
    const c0 = Math.floor(at.column);
    const [ra, rb] = map.enlarges.row ? [-1, 2] : [0, 1];
    const [ca, cb] = map.enlarges.column ? [-1, 2] : [0, 1];
    let lo = 255;
    let hi = 0;
    let ok = true;
    const labelsNear = new Set<number>();
    for (let dr = ra; dr <= rb && ok; dr++) {
      for (let dc = ca; dc <= cb && ok; dc++) {
        const r = r0 + dr;
        const c = c0 + dc;
        if (r < 0 || c < 0 || r >= plane.rows || c >= plane.columns || !inside(planeIndex(plane, r, c))) ok = false;
        else {
          lo = Math.min(lo, grey(r, c));
          hi = Math.max(hi, grey(r, c));
          labelsNear.add(label(r, c));
        }
      }
    }
    if (!ok || hi - lo > maxSpan || labelsNear.size !== 1) continue;
    const fr = at.row - r0;
    const fc = at.column - c0;
    const g = (1 - fr) * (1 - fc) * grey(r0, c0) + (1 - fr) * fc * grey(r0, c0 + 1) + fr * (1 - fc) * grey(r0 + 1, c0) + fr * fc * grey(r0 + 1, c0 + 1);
    const value = [...labelsNear][0]!;
    const colour = expectation.labels?.colours.get(value);
    const expected: Rgb = colour ? blendOver(g, colour, expectation.labels!.alpha) : [g, g, g];
    const error = Math.max(colourError(sample.rgba, expected), 255 - sample.rgba[3]);
    checked++;
    checkedByLabel.set(value, (checkedByLabel.get(value) ?? 0) + 1);
    if (g > 10 && g < 245) midGrey++;
    worst = Math.max(worst, error);
    if (error > tolerance) misses.push({ pixel: [+at.row.toFixed(2), +at.column.toFixed(2)], rgba: sample.rgba, expected: expected.map((e) => +e.toFixed(1)) });
  }
  return { checkedByLabel, checked, midGrey, worst, misses };
}

/** The canvas pixels under CSS points, with the CSS centre of each device pixel read. */
async function readCanvas(viewer: ViewerPage, view: ViewName, points: readonly { x: number; y: number }[]) {
  return viewer.page.evaluate(
    ([name, list]) => {
      const g = globalThis as unknown as PageGlobal;
      const canvas = g.document.querySelector(`[data-testid="viewport-${name}"]`)?.querySelector('canvas') as PageCanvas | null | undefined;
      const context = canvas?.getContext('2d');
      if (!canvas || !context) throw new Error(`the ${name} view has no drawn canvas`);
      const sx = canvas.width / canvas.clientWidth;
      const sy = canvas.height / canvas.clientHeight;
      return list.map((p) => {
        const x = Math.floor(p.x * sx);
        const y = Math.floor(p.y * sy);
        const d = context.getImageData(x, y, 1, 1).data;
        return { rgba: [d[0]!, d[1]!, d[2]!, d[3]!] as const, cssX: (x + 0.5) / sx, cssY: (y + 0.5) / sy };
      });
    },
    [view, points] as const,
  );
}
