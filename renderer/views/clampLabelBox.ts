/** A label's box in the view's CSS pixels (from the view's top-left corner). */
export interface LabelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * How far to move a label so it lies inside a view of `width` × `height` CSS pixels, `margin` from
 * each edge: a label beside a point near the right edge moves left, one above the top moves down.
 * A label wider (taller) than the view keeps its left (top) edge at the margin, so its start is read.
 */
export function clampLabelBox(box: LabelBox, width: number, height: number, margin = 2): { dx: number; dy: number } {
  return { dx: shift(box.x, box.width, width, margin), dy: shift(box.y, box.height, height, margin) };
}

function shift(start: number, size: number, room: number, margin: number): number {
  if (start < margin || size > room - 2 * margin) return margin - start;
  const over = start + size - (room - margin);
  return over > 0 ? -over : 0;
}
