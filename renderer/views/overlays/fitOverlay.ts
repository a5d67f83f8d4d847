import type { OverlayCorners } from './overlayLines.js';

/** The pane the text must fit and how large its text is drawn (see ImageOverlay.css). */
export interface OverlayPane {
  readonly width: number;
  readonly height: number;
  /** Widest average character of the overlay's font, px (12 px sans-serif digits are ~6.7 px). */
  readonly charPx: number;
  readonly linePx: number;
}

/** A corner takes at most this share of the pane's width: the middle stays free for the orientation letters and the scale bar. */
export const cornerWidthShare = 0.38;
/** ... and this share of its height, so the four corners never meet over the middle of the image. */
export const cornerHeightShare = 0.3;
const paddingPx = 6;
/** A corner narrower than this many characters says nothing readable: it is left empty. */
const fewestChars = 6;

/**
 * The corners cut to fit a pane: each keeps its first lines (the most needed) up to 30 % of the
 * pane's height, and each line at most 38 % of its width, cut with "…". A pane too small for
 * six characters or one line shows no corner text at all.
 */
export function fitOverlay(corners: OverlayCorners, pane: OverlayPane): OverlayCorners {
  const chars = Math.floor((pane.width * cornerWidthShare - paddingPx) / pane.charPx);
  const lines = Math.floor((pane.height * cornerHeightShare) / pane.linePx);
  const fit = (corner: readonly string[]): string[] =>
    chars < fewestChars ? [] : corner.slice(0, Math.max(0, lines)).map((line) => (line.length > chars ? `${line.slice(0, chars - 1).trimEnd()}…` : line));
  return { topLeft: fit(corners.topLeft), topRight: fit(corners.topRight), bottomLeft: fit(corners.bottomLeft), bottomRight: fit(corners.bottomRight) };
}
