import type { ViewPlane } from '../geometry/ViewPlane.js';
import type { ViewName } from '../geometry/types.js';

/**
 * What an overlay drawn over a view (measurements, annotations) needs to know
 * about it: the plane it shows and the map between its screen pixels and CSS
 * pixels of the viewport element (from its top-left corner). Pixel
 * coordinates are continuous, with pixel centres at integers, so
 * `plane`'s `pixelToIndex(plane, row, column)` gives the voxel index under a
 * point. A new object whenever the plane, zoom or pan changes.
 */
export interface ViewGeometry {
  readonly view: ViewName;
  readonly plane: ViewPlane;
  /** CSS position (from the viewport's top-left corner) of a continuous screen pixel position. */
  cssFromPixel(row: number, column: number): { x: number; y: number };
  /** Continuous screen pixel position under a CSS point; the inverse of {@link ViewGeometry.cssFromPixel}. */
  pixelFromCss(x: number, y: number): { row: number; column: number };
}

/** The tools whose left-button pointer events go to `onMeasurePointer` instead of painting or navigation. */
export type MeasureToolKind = 'line' | 'angle' | 'ellipse' | 'freehand';

/** Whether a tool kind is a measurement tool. */
export function isMeasureTool(kind: string): kind is MeasureToolKind {
  return kind === 'line' || kind === 'angle' || kind === 'ellipse' || kind === 'freehand';
}
