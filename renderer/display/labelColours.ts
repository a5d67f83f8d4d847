import { labelColour } from '../../core/labels/labelColour.js';

/** RGBA, 0–255 each, as cornerstone's colormaps take them. */
export type Rgba = [number, number, number, number];

export interface SegmentDisplay {
  readonly value: number;
  readonly colour: readonly [number, number, number];
  readonly visible: boolean;
}

export interface LabelColoursParams {
  /** Largest label value in the map (sets the table's length). */
  readonly maxLabel: number;
  readonly segments: readonly SegmentDisplay[];
  /** Fill opacity, 0–1. */
  readonly opacity: number;
  /** Whether outline pixels (stored as label + outlineOffset) are drawn opaque. */
  readonly outline: boolean;
}

/** Offset added to a label value to mark its outline pixels (see markOutline). */
export function outlineOffset(maxLabel: number): number {
  return maxLabel + 1;
}

/**
 * Colour table for the label layer: entry v is label v's fill (alpha =
 * opacity), entry v + maxLabel + 1 its outline (opaque when the outline is
 * on, else the fill). Label 0 and hidden segments are transparent; labels
 * without a segment entry get their palette colour (labelColour), so nothing in the map
 * goes unseen.
 */
export function labelColours(params: LabelColoursParams): Rgba[] {
  const { maxLabel, opacity, outline } = params;
  const offset = outlineOffset(maxLabel);
  const fillAlpha = Math.round(Math.min(1, Math.max(0, opacity)) * 255);
  const table: Rgba[] = new Array<Rgba>(2 * offset);
  const byValue = new Map(params.segments.map((s) => [s.value, s]));
  for (let v = 0; v < offset; v++) {
    const segment = byValue.get(v);
    if (v === 0 || (segment && !segment.visible)) {
      table[v] = [0, 0, 0, 0];
      table[v + offset] = [0, 0, 0, 0];
      continue;
    }
    const [r, g, b] = segment ? segment.colour : labelColour(v);
    table[v] = [r, g, b, fillAlpha];
    table[v + offset] = [r, g, b, outline ? 255 : fillAlpha];
  }
  return table;
}
