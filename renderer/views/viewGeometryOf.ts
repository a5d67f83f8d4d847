import type { ViewPlane } from '../geometry/ViewPlane.js';
import type { ViewName } from '../geometry/types.js';
import type { ViewGeometry } from './ViewGeometry.js';

/** What viewGeometryOf needs of a renderer: the CSS point of a pixel centre under the current zoom and pan. */
export interface PixelToCss {
  canvasPointOf(row: number, column: number): { x: number; y: number };
}

/**
 * A view's geometry as it is drawn now: the pixel ↔ CSS map is sampled from
 * the renderer once (it is affine: cornerstone draws without rotation), so
 * the object stays true to the zoom and pan it was made under.
 * @throws RangeError when the renderer's map is degenerate (nothing drawn yet).
 */
export function viewGeometryOf(view: ViewName, plane: ViewPlane, renderer: PixelToCss): ViewGeometry {
  const o = renderer.canvasPointOf(0, 0);
  const c = renderer.canvasPointOf(0, 1);
  const r = renderer.canvasPointOf(1, 0);
  const [ax, ay, bx, by] = [c.x - o.x, c.y - o.y, r.x - o.x, r.y - o.y];
  const det = ax * by - ay * bx;
  if (!(Math.abs(det) > 1e-12)) throw new RangeError('the view has no pixel map yet');
  return {
    view,
    plane,
    cssFromPixel: (row, column) => ({ x: o.x + column * ax + row * bx, y: o.y + column * ay + row * by }),
    pixelFromCss: (x, y) => {
      const dx = x - o.x;
      const dy = y - o.y;
      return { column: (dx * by - dy * bx) / det, row: (ax * dy - ay * dx) / det };
    },
  };
}
